using MemorySync.Client;
using MemorySync.FaultTests.Cluster;
using MemorySync.FaultTests.Scenarios;
using MemorySync.Testing;

namespace MemorySync.FaultTests;

/// <summary>
/// The short form: each fault once on its own, then several at once, under a few seconds of load. Every acknowledged
/// write survives and the three stores converge by themselves once the faults end.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Collection(FaultClusterCollection.Name)]
public sealed class FaultScenarioTests(FaultCluster cluster, ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultKind.RedisRestarted)]
    [InlineData(FaultKind.RedisFlushed)]
    [InlineData(FaultKind.RedisPaused)]
    [InlineData(FaultKind.PostgresRestarted)]
    [InlineData(FaultKind.PostgresPaused)]
    [InlineData(FaultKind.SiloKilled)]
    [InlineData(FaultKind.SnapshotDeleted)]
    public Task Fault_UnderLoad_LosesNoAcknowledgedWrite_AndTheStoresConverge(FaultKind fault) =>
        // The scenario asserts: writes acknowledged again after the fault, none lost, the stores converged, no silo died.
        new FaultScenario(cluster, output).RunAsync(fault);

    // The silo kills itself (a failpoint, as a power cut) at each point of a write's pipeline where the stores or the
    // bookkeeping disagree for a moment: after PostgreSQL's commit, between Redis and FAISS, before the completion is
    // recorded, and inside a strict write before and after its commit. Whatever the point, nothing acknowledged is lost,
    // the stores converge, and every read agrees with PostgreSQL.
    [Theory]
    [InlineData(FaultKind.SiloCrashedAfterCommit)]
    [InlineData(FaultKind.SiloCrashedAfterRedis)]
    [InlineData(FaultKind.SiloCrashedBeforeCompletion)]
    [InlineData(FaultKind.SiloCrashedInStrictBeforeCommit)]
    [InlineData(FaultKind.SiloCrashedInStrictAfterCommit)]
    public Task SiloCrashedAtAPointOfTheWritePipeline_LosesNoAcknowledgedWrite_AndTheStoresConverge(FaultKind crash) =>
        new FaultScenario(cluster, output).RunAsync(crash);

    // Frozen for 40 s, past the 24 s in which Orleans keeps a silo that stopped answering but whose connections stay
    // open (a GC pause, starved cores): the others declare it dead, its memories move to the survivor, and once thawed
    // it stops by itself and is started again. Nothing acknowledged is lost and the stores converge, and every memory is
    // writable again within 90 s: a strict write frozen with its transaction open holds its memory's row only for
    // Postgres:StrictTransactionIdleSeconds (20 s here), not until the frozen process is gone (it once took 180 s).
    [Fact]
    public Task SiloPaused_For40Seconds_LosesNoAcknowledgedWrite_AndTheStoresConverge() =>
        new FaultScenario(cluster, output) { FaultLength = TimeSpan.FromSeconds(40), UnavailableAtMost = TimeSpan.FromSeconds(90) }
            .RunAsync(FaultKind.SiloPaused);

    // A third silo serves a share of the memories while its wall clock steps 10 minutes ahead or behind for 20 s of
    // load: MemorySync stamps by PostgreSQL's clock, so honest writers are not refused as "ahead", no version is stamped
    // minutes ahead of its commit (the checker), nothing acknowledged is lost and the stores converge.
    [Theory]
    [InlineData(FaultKind.SiloClockAhead)]
    [InlineData(FaultKind.SiloClockBehind)]
    public async Task SiloClockStepped_LosesNoAcknowledgedWrite_StampsStayTrue_AndTheStoresConverge(FaultKind step)
    {
        await cluster.StartGuestSiloAsync();
        try
        {
            await new FaultScenario(cluster, output) { FaultLength = TimeSpan.FromSeconds(20) }.RunAsync(step);
        }
        finally
        {
            await cluster.StopGuestSilosAsync();
        }
    }

    // Orleans' membership compares the silos' wall clocks (a silo minutes behind is declared dead while it joins): a silo
    // whose clock is off by more than Memory:MaxClockSkew refuses to start, saying by how much, before it joins.
    [Theory]
    [InlineData("-10m", "behind")]
    [InlineData("+10m", "ahead of")]
    public async Task SiloWhoseClockIsOff_RefusesToStart_NamingTheOffset(string offset, string direction)
    {
        var refusal = await cluster.StartSiloRefusedForClockAsync(offset);

        Assert.Matches($@"this machine's clock is (59\d|60\d)\.\d s {direction} PostgreSQL's \(at most Memory:MaxClockSkew, 60 s", refusal);
    }

    // Frozen past Outbox:RetainCompleted (40 s in this suite): meanwhile it is declared dead, its index shards restore
    // on the survivor, and the survivor purges every outbox row completed before the freeze. Thawed, the silo holds
    // leases, snapshot positions and activations that refer to rows now gone; it finds itself dead, stops, and is
    // started again. Nothing acknowledged is lost and the stores converge.
    [Fact]
    public Task SiloPaused_PastTheOutboxRetention_LosesNoAcknowledgedWrite_AndTheStoresConverge() =>
        new FaultScenario(cluster, output).RunAsync(FaultKind.SiloPausedPastRetention);

    [Fact]
    public Task PostgresRestarted_WhileRedisIsFlushed_LosesNoAcknowledgedWrite_AndEveryReadAgreesWithPostgres() =>
        new FaultScenario(cluster, output).RunAsync(FaultKind.PostgresRestarted, FaultKind.RedisFlushed);

    [Fact]
    public Task RedisAndPostgresDown_WhileASiloIsKilled_LosesNoAcknowledgedWrite_AndTheStoresConverge() =>
        new FaultScenario(cluster, output).RunAsync(FaultKind.PostgresRestarted, FaultKind.RedisRestarted, FaultKind.SiloKilled);

    // Redis holds Orleans' membership as well as working memory. After Redis restarts empty, the running silos go on
    // serving the clients already connected, but Orleans never writes their lost entries again: without the silos'
    // MembershipRecovery a client that connects afterwards finds no gateway (ClusterUnreachableException). And the
    // recovered table must still take membership changes: a silo killed and started again afterwards rejoins it.
    [Fact]
    public async Task RedisFlushed_ThenANewClient_ConnectsAndSeesEverySilo_AndASiloRestartedLaterRejoins()
    {
        await new FaultScenario(cluster, output).RunAsync(FaultKind.RedisFlushed);

        var options = cluster.ClientOptions;
        options.ConnectTimeout = TimeSpan.FromSeconds(60);
        await using (var client = await MemorySyncClient.ConnectAsync(options))
        {
            Assert.Equal(FaultCluster.SiloCount, (await client.Operations.GetSilosAsync()).Count(silo => silo.Status == "Active"));
        }

        await new FaultScenario(cluster, output).RunAsync(FaultKind.SiloKilled);
        await using var afterRestart = await MemorySyncClient.ConnectAsync(options);
        Assert.Equal(FaultCluster.SiloCount, (await afterRestart.Operations.GetSilosAsync()).Count(silo => silo.Status == "Active"));
    }
}
