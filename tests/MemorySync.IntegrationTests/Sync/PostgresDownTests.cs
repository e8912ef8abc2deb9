using System.Globalization;
using MemorySync.Testing;
using Orleans.TestingHost;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>Two silos on a PostgreSQL server of the fixture's own, which the test stops.</summary>
public sealed class PostgresDownFixture : TwoSiloClusterFixture
{
    /// <summary>Small, so a test's few hundred writes use every pooled connection of each silo.</summary>
    public const int MaxPoolSize = 10;

    internal OwnPostgresServer PostgresServer { get; } = new();

    protected override async Task<string> StartPostgresAsync()
    {
        await PostgresServer.InitializeAsync();
        return PostgresServer.ConnectionString;
    }

    protected override async Task StopServersAsync()
    {
        await base.StopServersAsync();
        await PostgresServer.DisposeAsync();
    }

    protected override void Configure(TestClusterBuilder builder)
    {
        builder.Properties["Postgres:MaxPoolSize"] = MaxPoolSize.ToString(CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<MemorySyncSiloConfigurator>();
    }

    /// <summary>Connections open on the server now, from the silos' pools (and Orleans'), the test's own one not counted.</summary>
    internal Task<long> OpenConnectionsAsync() => ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
}

public sealed class PostgresDownTests(PostgresDownFixture fixture) : IClassFixture<PostgresDownFixture>
{
    [Fact]
    public async Task PostgresDown_WritesFailWithAClearError_NothingHalfWritten_AndWritesWorkAgainAfterItReturns()
    {
        var id = $"pgdown-{Guid.NewGuid():N}";
        var grain = fixture.Cluster.GrainFactory.GetGrain<IMemoryGrain>(id);
        var firstVector = TestVectors.Unit(new Random(51));
        var first = await grain.UpsertAsync(new MemoryWrite(id, "written while PostgreSQL was up", Embedding: firstVector));
        var label = (await fixture.Stores.PostgresAsync(id))!.Label;

        await fixture.PostgresServer.StopAsync();
        try
        {
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                grain.UpsertAsync(new MemoryWrite(id, "written while PostgreSQL was down", Embedding: TestVectors.Unit(new Random(52)))));
            Assert.Contains("PostgreSQL did not take version 2", error.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);

            Assert.Equal(first.Checksum, (await fixture.Stores.RedisAsync(id))!["checksum"]);
            var faiss = await fixture.Stores.FaissAsync(id, label);
            Assert.Equal(firstVector, faiss.Vector);
        }
        finally
        {
            await fixture.PostgresServer.StartAsync();
        }

        var second = await Eventually.ReturnsAsync(async () =>
        {
            try
            {
                return await grain.UpsertAsync(new MemoryWrite(id, "written after PostgreSQL came back", Embedding: TestVectors.Unit(new Random(53))));
            }
            catch (StoreUnavailableException)
            {
                return null;
            }
        }, record => record is not null, TimeSpan.FromSeconds(30), "writable again");
        Assert.Equal(2, second!.Version);
        Assert.Equal([1L, 2L], (await grain.HistoryAsync()).Select(entry => entry.Version));
        Assert.Equal(second.Checksum, (await fixture.Stores.RedisAsync(id))!["checksum"]);
    }

    // A restart kills every pooled connection of both silos while their pools sit idle; none of them may fail a write.
    [Fact]
    public async Task PostgresRestarted_WithEveryPooledConnectionOpen_200ConcurrentWritesAreAllAcknowledged_AndReadBack()
    {
        var grains = fixture.Cluster.GrainFactory;
        var existing = Enumerable.Range(0, 100).Select(i => $"pgrestart-{i}-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(existing.Select((id, i) => grains.GetGrain<IMemoryGrain>(id).UpsertAsync(
            new MemoryWrite(id, $"version 1 of {id}", Embedding: TestVectors.Unit(new Random(1000 + i))))));
        // Reads of all of them at once, until each silo's pool has grown to its maximum.
        await Eventually.ReturnsAsync(async () =>
        {
            await Task.WhenAll(existing.Select(id => grains.GetGrain<IMemoryGrain>(id).HistoryAsync()));
            return await fixture.OpenConnectionsAsync();
        }, open => open >= 2 * PostgresDownFixture.MaxPoolSize, TimeSpan.FromSeconds(30), "every pooled connection of both silos open");

        await fixture.PostgresServer.StopAsync();
        await fixture.PostgresServer.StartAsync();

        // Updates of active memories (straight to group commit) and new memories (each activation reads PostgreSQL first).
        var fresh = Enumerable.Range(0, 100).Select(i => $"pgrestart-new-{i}-{Guid.NewGuid():N}").ToList();
        var writes = existing.Concat(fresh).Select((id, i) => grains.GetGrain<IMemoryGrain>(id).UpsertAsync(
            new MemoryWrite(id, $"written after the restart to {id}", Embedding: TestVectors.Unit(new Random(2000 + i))))).ToList();
        var acknowledged = await Task.WhenAll(writes);

        Assert.Equal(existing.Select(_ => 2L).Concat(fresh.Select(_ => 1L)), acknowledged.Select(record => record.Version));
        fixture.DataSource.Clear();
        foreach (var (id, record) in existing.Concat(fresh).Zip(acknowledged))
        {
            var stored = await fixture.Stores.PostgresAsync(id);
            Assert.Equal((record.Version, record.Checksum), (stored!.Version, stored.Checksum));
            Assert.Equal(record.Version, (await grains.GetGrain<IMemoryGrain>(id).GetAsync())!.Version);
        }
    }

    // A memory whose grain activates while PostgreSQL is down can read nothing: every call on it, and every other call
    // that needs PostgreSQL, fails with the store named, never with a driver exception the client cannot deserialize.
    [Fact]
    public async Task PostgresDown_AMemoryActivatedMeanwhile_FailsWithAClearError_AndContinuesFromItsStoredVersionAfter()
    {
        var id = $"pgdown-idle-{Guid.NewGuid():N}";
        var grains = fixture.Cluster.GrainFactory;
        await grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "version 1, written while PostgreSQL was up",
            Embedding: TestVectors.Unit(new Random(61))));
        // The memory's grain goes away, so the write below activates it anew.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var newId = $"pgdown-new-{Guid.NewGuid():N}";

        await fixture.PostgresServer.StopAsync();
        try
        {
            var errors = new List<StoreUnavailableException>
            {
                await Assert.ThrowsAsync<StoreUnavailableException>(() => grains.GetGrain<IMemoryGrain>(id).UpsertAsync(
                    new MemoryWrite(id, "written while PostgreSQL was down", Embedding: TestVectors.Unit(new Random(62))))),
                await Assert.ThrowsAsync<StoreUnavailableException>(() => grains.GetGrain<IMemoryGrain>(newId).UpsertAsync(
                    new MemoryWrite(newId, "a new memory while PostgreSQL was down", Embedding: TestVectors.Unit(new Random(63))))),
                await Assert.ThrowsAsync<StoreUnavailableException>(() => grains.GetGrain<IMemoryGrain>(id).HistoryAsync()),
                await Assert.ThrowsAsync<StoreUnavailableException>(() => grains.GetGrain<IConflictsGrain>(0).ListOpenAsync()),
            };
            Assert.All(errors, error => Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.PostgresServer.StartAsync();
        }

        var second = await Eventually.ReturnsAsync(async () =>
        {
            try
            {
                return await grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "version 2, written after PostgreSQL came back",
                    Embedding: TestVectors.Unit(new Random(64))));
            }
            catch (StoreUnavailableException)
            {
                return null;
            }
        }, record => record is not null, TimeSpan.FromSeconds(30), "writable again");
        // The grain read what PostgreSQL held before its first write: version 2 follows version 1, nothing overwritten.
        Assert.Equal(2, second!.Version);
        Assert.Equal([1L, 2L], (await grains.GetGrain<IMemoryGrain>(id).HistoryAsync()).Select(entry => entry.Version));
        // The test's own pooled connections died with the server.
        fixture.DataSource.Clear();
        Assert.Null(await fixture.Stores.PostgresAsync(newId));
    }
}
