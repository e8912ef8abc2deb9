using MemorySync.IntegrationTests.Cluster;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Sync;

[Collection(ClusterCollection.Name)]
public sealed class SyncSemanticsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private static string NewId(string what) => $"{what}-{Guid.NewGuid():N}";

    [Fact]
    public async Task FiftyConcurrentWriters_LatestWins_GiveVersions1To50_NoLostUpdate_LatestHlcLast()
    {
        var id = NewId("fifty");
        var random = new Random(50);
        var writes = Enumerable.Range(0, 50)
            .Select(i => new MemoryWrite(id, $"writer {i} was here", Embedding: TestVectors.Unit(random), WriterId: $"writer{i}"))
            .ToList();

        await Task.WhenAll(writes.Select(write => Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(write)));

        var history = await Grains.GetGrain<IMemoryGrain>(id).HistoryAsync();
        Assert.Equal(Enumerable.Range(1, 50).Select(v => (long)v), history.Select(entry => entry.Version));
        Assert.Equal(writes.Select(write => write.Content).Order(), history.Select(entry => entry.Content).Order());
        var latestByHlc = await fixture.ScalarAsync<string>(
            $"SELECT content FROM memory_versions WHERE memory_id = '{id}' ORDER BY hlc DESC LIMIT 1");
        var current = await Grains.GetGrain<IMemoryGrain>(id).GetAsync();
        Assert.Equal(latestByHlc, current!.Content);
        Assert.Equal(50, current.Version);
        Assert.Equal(50, current.VersionVector.Count);
        Assert.Equal("50", (await fixture.Stores.RedisAsync(id))!["version"]);
    }

    // A caller whose reply was lost (a timeout, a silo that died under the call) sends the write again: the memory must
    // not get a second version that changes nothing. A new vector or new content is a change, and is stored.
    [Fact]
    public async Task AWriteOfWhatTheMemoryHolds_StoresNoSecondVersion_WhileANewVectorOrNewContentDoes()
    {
        var id = NewId("same");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var vector = TestVectors.Unit(new Random(7));
        var first = await grain.UpsertAsync(new MemoryWrite(id, "said once", MetadataJson: """{"a":1}""", Embedding: vector));

        var again = await grain.UpsertAsync(new MemoryWrite(id, "said once", MetadataJson: """{ "a": 1 }""", Embedding: vector,
            Timestamp: HybridLogicalClock.Shared.Next(), WriterId: "another-writer"));
        var withoutVector = await grain.UpsertAsync(new MemoryWrite(id, "said once", MetadataJson: """{"a":1}"""));
        var reembedded = await grain.UpsertAsync(new MemoryWrite(id, "said once", MetadataJson: """{"a":1}""", Embedding: TestVectors.Unit(new Random(8))));
        var changed = await grain.UpsertAsync(new MemoryWrite(id, "said twice", MetadataJson: """{"a":1}""", Embedding: vector));

        Assert.Equal((1L, first.Checksum), (again.Version, again.Checksum));
        Assert.Equal(1, withoutVector.Version);
        Assert.Equal(2, reembedded.Version);
        Assert.Equal(3, changed.Version);
        Assert.Equal([1L, 2L, 3L], (await grain.HistoryAsync()).Select(entry => entry.Version));
        Assert.Equal("3", (await fixture.Stores.RedisAsync(id))!["version"]);
    }

    [Fact]
    public async Task LatestWins_AConcurrentWriteWithAnOlderHlcLoses_AndOneWithANewerHlcWins_BothRecorded()
    {
        var (id, grain) = await TwoVersionsAsync("latest");

        var older = await grain.UpsertAsync(new MemoryWrite(id, "late and old", BaseVersion: 1, Timestamp: 1, Embedding: TestVectors.Unit(new Random(1))));
        Assert.Equal(2, older.Version);
        Assert.Equal("second", older.Content);

        var newer = await grain.UpsertAsync(new MemoryWrite(id, "late but newest", BaseVersion: 1, Embedding: TestVectors.Unit(new Random(2)),
            Timestamp: HybridLogicalClock.Shared.Next() + (1L << 30)));
        Assert.Equal(3, newer.Version);
        Assert.Equal("late but newest", (await fixture.Stores.RedisAsync(id))!["content"]);
        Assert.Equal(2, await CountConflictsAsync(id, "latest_wins", "resolved"));
    }

    [Fact]
    public async Task Merge_AConcurrentWrite_IsMergedFieldByField_InEveryStore()
    {
        var id = NewId("merge");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        await grain.UpsertAsync(new MemoryWrite(id, "first", Importance: 0.9, MetadataJson: """{"a":1,"k":"old"}""", Embedding: TestVectors.Unit(new Random(3))));
        await grain.UpsertAsync(new MemoryWrite(id, "second", Importance: 0.9, MetadataJson: """{"a":1,"k":"old"}""", Embedding: TestVectors.Unit(new Random(4))));
        var incomingVector = TestVectors.Unit(new Random(5));

        var merged = await grain.UpsertAsync(new MemoryWrite(id, "merged in", Importance: 0.2, MetadataJson: """{"b":2,"k":"new"}""",
            Embedding: incomingVector, BaseVersion: 1, Strategy: ConflictStrategy.Merge));

        Assert.Equal(3, merged.Version);
        Assert.Equal("merged in", merged.Content);
        Assert.Equal(0.9, merged.Importance);
        Assert.Equal("""{"a":1,"b":2,"k":"new"}""", merged.MetadataJson);
        var row = await fixture.Stores.PostgresAsync(id);
        Assert.Equal(merged.Checksum, row!.Checksum);
        Assert.Equal(merged.Checksum, (await fixture.Stores.RedisAsync(id))!["checksum"]);
        Assert.Equal(incomingVector, (await fixture.Stores.FaissAsync(id, row.Label)).Vector);
        Assert.Equal(1, await CountConflictsAsync(id, "merge", "resolved"));
    }

    [Fact]
    public async Task VersionVector_AStaleWriteIsRefused_AndRecorded()
    {
        var id = NewId("vv");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        await grain.UpsertAsync(new MemoryWrite(id, "w1 first", Embedding: TestVectors.Unit(new Random(6)), WriterId: "w1"));
        await grain.UpsertAsync(new MemoryWrite(id, "w1 second", Embedding: TestVectors.Unit(new Random(7)), WriterId: "w1",
            BaseVersionVector: new Dictionary<string, long> { ["w1"] = 1 }));

        // A replay of w1's second write, based on what w1 had seen before it: already covered by the current vector.
        var result = await grain.UpsertAsync(new MemoryWrite(id, "w1 second, replayed", Embedding: TestVectors.Unit(new Random(8)), WriterId: "w1",
            BaseVersionVector: new Dictionary<string, long> { ["w1"] = 1 }, Strategy: ConflictStrategy.VersionVector));

        Assert.Equal(2, result.Version);
        Assert.Equal("w1 second", result.Content);
        Assert.Equal(1, await CountConflictsAsync(id, "version_vector", "resolved"));
    }

    [Fact]
    public async Task Manual_FlagsTheMemory_KeepsBothSides_AndAResolutionReachesAllThreeStores()
    {
        var (id, grain) = await TwoVersionsAsync("manual");
        var incomingVector = TestVectors.Unit(new Random(9));

        var flagged = await grain.UpsertAsync(new MemoryWrite(id, "the other side", Embedding: incomingVector, BaseVersion: 1, Strategy: ConflictStrategy.Manual));

        Assert.True(flagged.Conflicted);
        Assert.Equal(2, flagged.Version);
        Assert.True((await grain.GetAsync())!.Conflicted);
        var open = (await Grains.GetGrain<IConflictsGrain>(0).ListOpenAsync()).Where(conflict => conflict.MemoryId == id).ToList();
        var conflict = Assert.Single(open);
        Assert.Contains("second", conflict.CurrentJson, StringComparison.Ordinal);
        Assert.Contains("the other side", conflict.IncomingJson, StringComparison.Ordinal);

        var resolved = await grain.ResolveAsync(ConflictChoice.KeepIncoming);

        Assert.Equal(3, resolved.Version);
        Assert.False(resolved.Conflicted);
        Assert.Equal("the other side", resolved.Content);
        var row = await fixture.Stores.PostgresAsync(id);
        Assert.Equal(3, row!.Version);
        Assert.Equal(resolved.Checksum, row.Checksum);
        Assert.Equal(resolved.Checksum, (await fixture.Stores.RedisAsync(id))!["checksum"]);
        Assert.Equal(incomingVector, (await fixture.Stores.FaissAsync(id, row.Label)).Vector);
        Assert.DoesNotContain(await Grains.GetGrain<IConflictsGrain>(0).ListOpenAsync(), c => c.MemoryId == id);
        Assert.Equal(1, await CountConflictsAsync(id, "manual", "resolved"));
    }

    [Fact]
    public async Task Strict_WhenRedisFailsMidWrite_EveryStoreIsBackAtThePreviousRecord_AndTheTransactionSaysRolledBack()
    {
        var id = NewId("strict");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var previousVector = TestVectors.Unit(new Random(10));
        var previous = await grain.UpsertAsync(new MemoryWrite(id, "the previous record", Embedding: previousVector));

        var error = await Assert.ThrowsAsync<StrictSyncException>(() => grain.UpsertAsync(new MemoryWrite(id,
            $"a strict write {FaultInjectingWorkingMemoryStore.Marker}", Embedding: TestVectors.Unit(new Random(11)), Mode: SyncMode.Strict)));

        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
        var row = await fixture.Stores.PostgresAsync(id);
        Assert.Equal(1, row!.Version);
        Assert.Equal(previous.Checksum, row.Checksum);
        var redis = await fixture.Stores.RedisAsync(id);
        Assert.Equal("1", redis!["version"]);
        Assert.Equal("the previous record", redis["content"]);
        var faiss = await fixture.Stores.FaissAsync(id, row.Label);
        Assert.Equal(1, faiss.Occurrences);
        Assert.Equal(previousVector, faiss.Vector);
        Assert.Equal("rolled_back", await fixture.ScalarAsync<string>(
            $"SELECT status FROM sync_transactions WHERE memory_id = '{id}' AND version = 2 AND mode = 'strict'"));
        Assert.Single(await grain.HistoryAsync());
        Assert.Equal(previous.Checksum, (await grain.GetAsync())!.Checksum);

        var next = await grain.UpsertAsync(new MemoryWrite(id, "a strict write that works", Embedding: TestVectors.Unit(new Random(12)), Mode: SyncMode.Strict));
        Assert.Equal(2, next.Version);
        Assert.Equal(new StoreVersions(2, 2, 2), next.StoreVersions);
    }

    private async Task<(string Id, IMemoryGrain Grain)> TwoVersionsAsync(string what)
    {
        var id = NewId(what);
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        await grain.UpsertAsync(new MemoryWrite(id, "first", Embedding: TestVectors.Unit(new Random(20))));
        await grain.UpsertAsync(new MemoryWrite(id, "second", Embedding: TestVectors.Unit(new Random(21)), BaseVersion: 1));
        return (id, grain);
    }

    private Task<long> CountConflictsAsync(string id, string strategy, string status) =>
        fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM conflict_resolutions WHERE memory_id = '{id}' AND strategy = '{strategy}' AND status = '{status}' AND reason <> ''");
}
