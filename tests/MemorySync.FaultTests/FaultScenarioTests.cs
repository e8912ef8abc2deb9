using MemorySync.FaultTests.Cluster;
using MemorySync.FaultTests.Scenarios;

namespace MemorySync.FaultTests;

/// <summary>
/// The short form: each fault once on its own, then several at once, under a few seconds of load. Every acknowledged
/// write survives and the three stores converge by themselves once the faults end.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class FaultScenarioTests(FaultCluster cluster, ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultKind.RedisRestarted)]
    [InlineData(FaultKind.RedisFlushed)]
    [InlineData(FaultKind.RedisPaused)]
    [InlineData(FaultKind.PostgresRestarted)]
    [InlineData(FaultKind.SiloKilled)]
    [InlineData(FaultKind.SnapshotDeleted)]
    public Task Fault_UnderLoad_LosesNoAcknowledgedWrite_AndTheStoresConverge(FaultKind fault) =>
        // The scenario asserts: writes acknowledged again after the fault, none lost, the stores converged, no silo died.
        new FaultScenario(cluster, output).RunAsync(fault);

    [Fact]
    public Task RedisAndPostgresDown_WhileASiloIsKilled_LosesNoAcknowledgedWrite_AndTheStoresConverge() =>
        new FaultScenario(cluster, output).RunAsync(FaultKind.PostgresRestarted, FaultKind.RedisRestarted, FaultKind.SiloKilled);

    // Redis holds Orleans' membership as well as working memory. After Redis restarts empty, the running silos go on
    // serving the clients already connected (the scenario above passes), but their membership entries are gone, and a
    // client that connects afterwards finds no gateway (ClusterUnreachableException after its 30 s, both silos still
    // running). Unskip once membership survives the loss.
    [Fact(Skip = "known bug: after Redis loses its data, new clients cannot connect until the silos restart")]
    public async Task RedisFlushed_ThenANewClient_ConnectsAndSeesEverySilo()
    {
        await new FaultScenario(cluster, output).RunAsync(FaultKind.RedisFlushed);

        await using var client = await cluster.ConnectClientAsync();
        Assert.Equal(FaultCluster.SiloCount, (await client.GetSilosAsync()).Count);
    }
}
