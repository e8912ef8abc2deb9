using CsCheck;
using MemorySync.FaultTests.Checking;
using MemorySync.FaultTests.Cluster;
using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// Random bad writes through the real client, one at a time and in a batch: each is refused naming the field to fix,
/// and afterwards PostgreSQL, Redis and the index hold exactly what they held before.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class BadInputPropertyTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int Samples = 50;

    [Fact]
    public async Task BadWrite_IsRefusedNamingTheField_AndLeavesEveryStoreUnchanged()
    {
        await cluster.EnsureServingAsync();
        await using var client = await cluster.ConnectClientAsync();
        await using var redis = await cluster.ConnectRedisAsync();
        Task<StoreSnapshot> ReadStoresAsync() => StoreSnapshot.ReadAsync(cluster.Database, redis, client.Grains, cluster.KeyPrefix);
        // Another test's repairs may still be landing: start from stores that read the same twice in a row.
        IReadOnlyList<string> previous = [];
        var before = (await Eventually.ReturnsAsync(async () =>
        {
            var (last, now) = (previous, (await ReadStoresAsync()).Lines());
            previous = now;
            return (Last: last, Now: now);
        }, reads => reads.Last.SequenceEqual(reads.Now), TimeSpan.FromSeconds(60), "the stores at rest")).Now;

        await BadWrites.Any.SampleAsync(async bad =>
        {
            var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => client.UpsertAsync(bad.Write));
            Assert.Equal(bad.Field, refused.Field);

            var batch = await client.SyncBatchAsync([bad.Write]);
            Assert.Equal(0, batch.Synced);
            Assert.StartsWith($"{bad.Field}: ", Assert.Single(batch.Errors).Error, StringComparison.Ordinal);

            var after = (await ReadStoresAsync()).Lines();
            Assert.Empty(after.Except(before).Concat(before.Except(after)));
        }, output.WriteLine, iter: Samples, threads: 1);
    }
}
