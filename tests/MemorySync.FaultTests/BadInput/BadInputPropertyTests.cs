using CsCheck;
using MemorySync.FaultTests.Cluster;

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
        await using var stores = await cluster.StoresAtRestAsync();
        var client = stores.Client;

        await BadWrites.Any.SampleAsync(async bad =>
        {
            var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => client.UpsertAsync(bad.Write));
            Assert.Equal(bad.Field, refused.Field);

            var batch = await client.SyncBatchAsync([bad.Write]);
            Assert.Equal(0, batch.Synced);
            Assert.StartsWith($"{bad.Field}: ", Assert.Single(batch.Errors).Error, StringComparison.Ordinal);

            await stores.AssertUnchangedAsync(bad);
        }, output.WriteLine, iter: Samples, threads: 1);
    }
}
