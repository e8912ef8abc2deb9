using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Index;

/// <summary>
/// A shard configured with an index type that needs training: it serves from Flat, trains once it holds enough
/// vectors, and keeps every change made before, while and after it trains, across restarts too.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class IndexTrainingTests(TrainingSiloFixture silo) : IClassFixture<TrainingSiloFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IIndexGrain Shard => silo.Client.Grains.GetGrain<IIndexGrain>(0);

    [Fact]
    public async Task Shard_TrainsOnceItHoldsEnoughVectors_AndFindsMemoriesWrittenBeforeWhileAndAfter_ButNoRemovedOne()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(71);
        var before = await WriteAsync(run, random, 0, TrainingSiloFixture.TrainAfterVectors - 1);
        var info = await Shard.GetInfoAsync();
        Assert.Equal(TrainingSiloFixture.Factory, info.ConfiguredFactory);
        if (info.Vectors < TrainingSiloFixture.TrainAfterVectors)
        {
            // Only when this test runs first is the shard still short of training; the restart test may have trained it.
            Assert.Equal("Flat", info.Factory);
        }

        var crossing = await WriteAsync(run, random, TrainingSiloFixture.TrainAfterVectors - 1, 101);
        // One write after another while the shard trains: those that land before the swap reach the trained index
        // through its catch-up.
        using var trained = new CancellationTokenSource();
        var whileTraining = WriteOneByOneAsync(run, new Random(73), TrainingSiloFixture.TrainAfterVectors + 100, trained.Token);
        await WaitUntilTrainedAsync();
        await trained.CancelAsync();
        var during = await whileTraining;
        var after = await WriteAsync(run, random, TrainingSiloFixture.TrainAfterVectors + 1000, 50);
        var written = before.Concat(crossing).Concat(during).Concat(after).ToList();
        var removed = new[] { written[0], written[TrainingSiloFixture.TrainAfterVectors + 10], written[^1] };
        foreach (var (memoryId, _) in removed)
        {
            await silo.Client.DeleteAsync(memoryId);
        }

        await SearchAssertions.FindsEachFirstAsync(silo.Client, written.Except(removed).ToList(), removed);
    }

    [Fact]
    public async Task TrainedShard_RestoresFromItsSnapshot_AndRebuildsAndTrainsAgainWithoutOne()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(72);
        var written = await WriteAsync(run, random, 0, TrainingSiloFixture.TrainAfterVectors + 50);
        await WaitUntilTrainedAsync();
        // A snapshot asked for holds every change the shard had; the outbox may still bring the last writes after it.
        await Eventually.ReturnsAsync(SnapshotAndDescribeAsync, info => info.ChangesSinceSnapshot == 0, Deadline, "snapshotted");
        // After the snapshot: ten more, and one removed, which the restart replays from PostgreSQL.
        written.AddRange(await WriteAsync(run, random, TrainingSiloFixture.TrainAfterVectors + 50, 10));
        var removed = written[5];
        await silo.Client.DeleteAsync(removed.MemoryId);
        written.Remove(removed);

        await silo.RestartAsync();

        var restored = await Shard.GetInfoAsync();
        Assert.Equal(("snapshot", TrainingSiloFixture.Factory), (restored.LoadedFrom, restored.Factory));
        await SearchAssertions.FindsEachFirstAsync(silo.Client, written, [removed]);

        // Without a snapshot the shard rebuilds from PostgreSQL into Flat, then trains on what it loaded.
        await using (var command = silo.Database.DataSource.CreateCommand("DELETE FROM index_snapshots"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await silo.RestartAsync();

        Assert.Equal("rebuild", (await Shard.GetInfoAsync()).LoadedFrom);
        await WaitUntilTrainedAsync();
        await SearchAssertions.FindsEachFirstAsync(silo.Client, written, [removed]);
    }

    private async Task<List<(string MemoryId, float[] Vector)>> WriteAsync(string run, Random random, int first, int count)
    {
        var writes = Enumerable.Range(first, count)
            .Select(i => new MemoryWrite($"ivf-{run}-{i}", $"training memory {i}", Embedding: TestVectors.Unit(random)))
            .ToList();
        Assert.Equal(count, (await silo.Client.SyncBatchAsync(writes)).Synced);
        return writes.Select(write => (write.MemoryId, write.Embedding!)).ToList();
    }

    private async Task<List<(string MemoryId, float[] Vector)>> WriteOneByOneAsync(string run, Random random, int first, CancellationToken stop)
    {
        var written = new List<(string MemoryId, float[] Vector)>();
        while (!stop.IsCancellationRequested && written.Count < 900)
        {
            written.AddRange(await WriteAsync(run, random, first + written.Count, 1));
        }

        return written;
    }

    private Task<IndexShardInfo> WaitUntilTrainedAsync() =>
        Eventually.ReturnsAsync(Shard.GetInfoAsync, info => info.Factory == TrainingSiloFixture.Factory && !info.Training, Deadline,
            $"serving from {TrainingSiloFixture.Factory}");

    private async Task<IndexShardInfo> SnapshotAndDescribeAsync()
    {
        await Shard.SnapshotAsync();
        return await Shard.GetInfoAsync();
    }
}
