using MemorySync.Migrations;
using MemorySync.Outbox;
using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>The outbox keeps what is pending or dead for good, and a completed row only as long as it is asked to.</summary>
public sealed class OutboxRetentionTests
{
    [Fact]
    public async Task PurgeCompleted_DeletesOnlyRowsAppliedLongerAgoThanTheRetention_InSlicesOfTheLimit()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        // Three rows applied two hours ago, one a minute ago; a pending and a dead row, both old: only the three may go.
        await using (var insert = database.DataSource.CreateCommand("""
            INSERT INTO sync_queue (memory_id, version, store, operation, status, created_at, completed_at) VALUES
                ('old-1', 1, 'redis', 'upsert', 'done', now() - interval '3 hours', now() - interval '2 hours'),
                ('old-2', 1, 'faiss', 'upsert', 'done', now() - interval '3 hours', now() - interval '2 hours'),
                ('old-3', 1, 'redis', 'delete', 'done', now() - interval '3 hours', now() - interval '2 hours'),
                ('recent', 1, 'redis', 'upsert', 'done', now() - interval '2 minutes', now() - interval '1 minute'),
                ('pending', 1, 'redis', 'upsert', 'pending', now() - interval '3 hours', NULL),
                ('dead', 1, 'faiss', 'upsert', 'dead', now() - interval '3 hours', now() - interval '2 hours')
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var outbox = new PostgresOutboxStore(database.DataSource,
            new PostgresConnectionRecovery(database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance));

        Assert.Equal(2, await outbox.PurgeCompletedAsync(TimeSpan.FromHours(1), limit: 2, CancellationToken.None));
        Assert.Equal(1, await outbox.PurgeCompletedAsync(TimeSpan.FromHours(1), limit: 2, CancellationToken.None));
        Assert.Equal(0, await outbox.PurgeCompletedAsync(TimeSpan.FromHours(1), limit: 2, CancellationToken.None));

        Assert.Equal(["dead", "pending", "recent"], await database.ColumnAsync("SELECT memory_id FROM sync_queue ORDER BY memory_id"));
    }
}
