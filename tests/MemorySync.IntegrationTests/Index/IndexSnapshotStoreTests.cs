using MemorySync.Index;
using MemorySync.Migrations;
using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemorySync.IntegrationTests.Index;

/// <summary>The fence of index snapshots, against a real PostgreSQL: an older snapshot never replaces a newer one.</summary>
public sealed class IndexSnapshotStoreTests : IAsyncLifetime
{
    private ThrowawayDatabase _database = null!;
    private IndexSnapshotStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(_database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        _store = new IndexSnapshotStore(_database.DataSource,
            new PostgresConnectionRecovery(_database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Save_OfALowerEpochOrPosition_NeverReplacesTheStoredSnapshot()
    {
        var first = await _store.ClaimEpochAsync(0);
        Assert.True(await _store.SaveAsync(Snapshot(first, position: 10, marker: 1)));
        // The same activation: a save that arrived late, behind a later one, is refused; an equal position (a newer
        // index of the same outbox rows, after a training) replaces.
        Assert.False(await _store.SaveAsync(Snapshot(first, position: 5, marker: 2)));
        Assert.True(await _store.SaveAsync(Snapshot(first, position: 10, marker: 3)));

        var second = await _store.ClaimEpochAsync(0);
        Assert.True(second > first, $"epoch {second} after {first}");
        // The first activation lives on (a partition): whatever position it reached, it cannot overwrite.
        Assert.False(await _store.SaveAsync(Snapshot(first, position: 99, marker: 4)));
        Assert.Equal((first, 10L, (byte)3), await StoredAsync(0));
        // The second began from the newest snapshot and replayed after it: its save stands, at a lower position too.
        Assert.True(await _store.SaveAsync(Snapshot(second, position: 7, marker: 5)));
        Assert.Equal((second, 7L, (byte)5), await StoredAsync(0));
    }

    [Fact]
    public async Task Save_OfAnActivationClaimedOver_IsRefusedEvenWhenTheShardHasNoSnapshotYet()
    {
        var stale = await _store.ClaimEpochAsync(1);
        var current = await _store.ClaimEpochAsync(1);

        Assert.False(await _store.SaveAsync(Snapshot(stale, position: 50, marker: 1, shard: 1)));
        Assert.Null(await _store.LoadAsync(1));
        Assert.True(await _store.SaveAsync(Snapshot(current, position: 1, marker: 2, shard: 1)));
        Assert.Equal((current, 1L, (byte)2), await StoredAsync(1));
        // Shards are fenced apart: a claim of shard 1 does not touch shard 0.
        var other = await _store.ClaimEpochAsync(0);
        Assert.True(await _store.SaveAsync(Snapshot(other, position: 3, marker: 3, shard: 0)));
    }

    private async Task<(long Epoch, long Position, byte Marker)> StoredAsync(int shard)
    {
        var (snapshot, _) = (await _store.LoadAsync(shard))!.Value;
        return (snapshot.Epoch, snapshot.OutboxPosition, snapshot.IndexData[0]);
    }

    // The fence looks at the epoch and the position only; the index bytes say which save is stored.
    private static IndexSnapshot Snapshot(long epoch, long position, byte marker, int shard = 0) =>
        new(shard, "Flat", "InnerProduct", 4, 0, epoch, position, DateTimeOffset.UtcNow, [marker], []);
}
