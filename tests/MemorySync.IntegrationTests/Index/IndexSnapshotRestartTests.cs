using System.Globalization;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Index;

/// <summary>
/// A shard restarted (the silo killed outright) comes back from its own snapshot plus what came after it, refuses to
/// let a stale activation overwrite a newer snapshot, and rebuilds from PostgreSQL when its snapshot is older than the
/// outbox keeps completed rows. Every acknowledged write is found by search each time.
/// </summary>
public sealed class IndexSnapshotRestartTests(SnapshotSiloFixture silo) : IClassFixture<SnapshotSiloFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IIndexGrain Shard => silo.Client.Grains.GetGrain<IIndexGrain>(0);

    [Fact]
    public async Task RestartedShard_ReplaysFromItsSnapshotsOwnPosition_AndSearchFindsEveryAcknowledgedWrite()
    {
        var run = NewRun();
        var random = new Random(81);
        // A memory whose FAISS row stays dead although the index holds it: "every row below the oldest one not done",
        // the outbox's global position, would stop below it; the shard's own position does not.
        var stuck = await WriteAsync(run, random, 0, 1);
        await ExecuteAsync($"UPDATE sync_queue SET status = 'dead' WHERE store = 'faiss' AND memory_id = '{stuck[0].MemoryId}'");
        var before = await WriteAsync(run, random, 1, 20);
        var snapshotted = await SnapshotAsync();

        var highestApplied = await silo.Database.ScalarAsync<long>("SELECT max(queue_id) FROM sync_queue WHERE store = 'faiss'");
        Assert.Equal(highestApplied, await silo.Database.ScalarAsync<long>("SELECT outbox_position FROM index_snapshots WHERE shard = 0"));
        Assert.Equal(highestApplied, snapshotted.OutboxPosition);

        var after = await WriteAsync(run, random, 21, 10);
        var removed = before[0];
        await silo.Client.DeleteAsync(removed.MemoryId);
        await silo.RestartAsync();

        var restored = await Shard.GetInfoAsync();
        Assert.Equal("snapshot", restored.LoadedFrom);
        // Only what came after the snapshot changed the index: the ten writes and the delete.
        Assert.Equal(after.Count + 1, restored.Replayed);
        Assert.True(restored.Epoch > snapshotted.Epoch, $"epoch {restored.Epoch} after {snapshotted.Epoch}");
        await SearchAssertions.FindsEachFirstAsync(silo.Client, [.. stuck, .. before.Skip(1), .. after], [removed]);
    }

    [Fact]
    public async Task SnapshotOfAStaleActivation_IsRefusedAndCounted_NotAnError_AndTheNewerSnapshotStands()
    {
        var run = NewRun();
        var random = new Random(82);
        var first = await WriteAsync(run, random, 0, 5);
        await SnapshotAsync();
        var stored = await StoredSnapshotAsync();
        var refusedBefore = await RefusedSnapshotsAsync();

        // Another activation of shard 0 claims it (as one would during a partition); this one lives on and writes.
        await ExecuteAsync("UPDATE index_shard_epochs SET epoch = epoch + 1 WHERE shard = 0");
        var later = await WriteAsync(run, random, 5, 5);
        await Shard.SnapshotAsync();

        Assert.Equal(stored, await StoredSnapshotAsync());
        Assert.Equal(refusedBefore + 1, await RefusedSnapshotsAsync());
        // The next activation replays what the refused snapshot would have held.
        await silo.RestartAsync();
        Assert.Equal("snapshot", (await Shard.GetInfoAsync()).LoadedFrom);
        await SearchAssertions.FindsEachFirstAsync(silo.Client, [.. first, .. later], []);
    }

    [Fact]
    public async Task SnapshotOlderThanTheOutboxRetention_LeadsToARebuild_AndSearchStillFindsEverything()
    {
        var run = NewRun();
        var random = new Random(83);
        var written = await WriteAsync(run, random, 0, 10);
        await SnapshotAsync();
        written.AddRange(await WriteAsync(run, random, 10, 10));

        // Two hours old, past Outbox:RetainCompleted (1 h): the drainer's purge has deleted the rows completed since,
        // so a replay would not know of the last ten writes.
        await ExecuteAsync("UPDATE index_snapshots SET taken_at = taken_at - interval '2 hours' WHERE shard = 0");
        await ExecuteAsync("DELETE FROM sync_queue WHERE status = 'done'");
        await silo.RestartAsync();

        Assert.Equal("rebuild", (await Shard.GetInfoAsync()).LoadedFrom);
        await SearchAssertions.FindsEachFirstAsync(silo.Client, written, []);
    }

    private static string NewRun() => Guid.NewGuid().ToString("N")[..8];

    private async Task<List<(string MemoryId, float[] Vector)>> WriteAsync(string run, Random random, int first, int count)
    {
        var writes = Enumerable.Range(first, count)
            .Select(i => new MemoryWrite($"snap-{run}-{i}", $"snapshot memory {i}", Embedding: TestVectors.Unit(random)))
            .ToList();
        Assert.Equal(count, (await silo.Client.SyncBatchAsync(writes)).Synced);
        return writes.Select(write => (write.MemoryId, write.Embedding!)).ToList();
    }

    // A snapshot asked for holds every change the shard had; the outbox may still bring the last writes after it.
    private Task<IndexShardInfo> SnapshotAsync() =>
        Eventually.ReturnsAsync(async () =>
        {
            await Shard.SnapshotAsync();
            return await Shard.GetInfoAsync();
        }, info => info.ChangesSinceSnapshot == 0, Deadline, "snapshotted");

    private async Task<(long Epoch, long Position, DateTime TakenAt)> StoredSnapshotAsync()
    {
        await using var command = silo.Database.DataSource.CreateCommand("SELECT epoch, outbox_position, taken_at FROM index_snapshots WHERE shard = 0");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetDateTime(2));
    }

    private async Task<long> RefusedSnapshotsAsync()
    {
        const string Name = "memorysync_index_snapshots_refused_total";
        var body = await silo.MetricsHttp.GetStringAsync("/metrics");
        var line = body.Split('\n').Single(line => line.StartsWith(Name + " ", StringComparison.Ordinal) || line.StartsWith(Name + "{", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = silo.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
