using MemorySync.Configuration;
using MemorySync.IntegrationTests.Cluster;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.WritePath;

[Collection(ClusterCollection.Name)]
public sealed class BatchSyncTests(ClusterFixture fixture)
{
    [Fact]
    public async Task BatchAsLargeAsAllowed_AllSynced_AndVersionsAndChecksumsAgreeAcrossTheStores()
    {
        var prefix = $"batch-{Guid.NewGuid():N}"[..20];
        var random = new Random(2000);
        // The largest batch the default bound (Memory:MaxBatchItems) takes.
        var size = new MemoryOptions().MaxBatchItems;
        var writes = Enumerable.Range(0, size).Select(i => new MemoryWrite(
            $"{prefix}-{i:D4}", $"Batch memory number {i} about topic {i % 17}.", MemoryTypes.All[i % 4], (i % 11) / 10.0,
            $$"""{"n":{{i}}}""", TestVectors.Unit(random), $"agent{i % 5}")).ToList();

        var result = await fixture.Cluster.GrainFactory.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(writes);

        Assert.Empty(result.Errors);
        Assert.Equal(size, result.Synced);
        Assert.Equal(0, result.Failed);
        var checks = writes.Select(async write =>
        {
            var row = await fixture.Stores.PostgresAsync(write.MemoryId);
            var redis = await fixture.Stores.RedisAsync(write.MemoryId);
            var faiss = await fixture.Stores.FaissAsync(write.MemoryId, row!.Label);
            return (write, row, redis, faiss);
        });
        foreach (var (write, row, redis, faiss) in await Task.WhenAll(checks))
        {
            Assert.Equal(1, row.Version);
            Assert.Equal(row.Checksum, redis!["checksum"]);
            Assert.Equal("1", redis["version"]);
            Assert.Equal(1, faiss.Occurrences);
            Assert.Equal(write.Embedding, faiss.Vector);
        }
    }

    [Fact]
    public async Task Batch_WithSomeBadMemories_StoresTheGoodOnesAndNamesEachBadOne()
    {
        var prefix = $"mixed-{Guid.NewGuid():N}"[..20];
        var vector = TestVectors.Unit(new Random(3));
        var writes = new[]
        {
            new MemoryWrite($"{prefix}-good", "A good memory.", Embedding: vector),
            new MemoryWrite($"{prefix}-bad-type", "Wrong type.", "dream", Embedding: vector),
            new MemoryWrite($"{prefix}-bad-importance", "Too important.", Importance: 2, Embedding: vector),
        };

        var result = await fixture.Cluster.GrainFactory.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(writes);

        Assert.Equal(1, result.Synced);
        Assert.Equal(2, result.Failed);
        Assert.Equal([$"{prefix}-bad-importance", $"{prefix}-bad-type"], result.Errors.Select(error => error.MemoryId).Order());
        Assert.NotNull(await fixture.Stores.PostgresAsync($"{prefix}-good"));
        Assert.Null(await fixture.Stores.PostgresAsync($"{prefix}-bad-type"));
    }
}
