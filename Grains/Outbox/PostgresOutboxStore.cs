using MemorySync.Stores;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Outbox;

internal sealed class PostgresOutboxStore(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery) : IOutboxStore
{
    // SKIP LOCKED lets every silo drain at once without taking the same rows; pushing next_attempt_at forward is the
    // lease: a silo that dies mid-attempt leaves its rows to be claimed again when the lease runs out.
    private const string ClaimSql = """
        UPDATE sync_queue q SET next_attempt_at = now() + @lease
        FROM (SELECT queue_id FROM sync_queue
              WHERE status = 'pending' AND next_attempt_at <= now()
              ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED) due
        WHERE q.queue_id = due.queue_id
        RETURNING q.queue_id, q.memory_id, q.version, q.store, q.attempts
        """;

    public async Task<IReadOnlyList<OutboxRow>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return rows;
    }

    public async Task RecordFailureAsync(long queueId, string error, TimeSpan delay, bool dead, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE sync_queue
            SET attempts = attempts + 1, last_error = @error, last_attempt_at = now(), next_attempt_at = now() + @delay,
                status = CASE WHEN @dead THEN 'dead' ELSE status END
            WHERE queue_id = @queue_id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("queue_id", queueId);
        command.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
        command.Parameters.AddWithValue("delay", delay);
        command.Parameters.AddWithValue("dead", dead);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.OnlyIfNotSent, cancellationToken).ConfigureAwait(false);
    }

    // Oldest first, in slices, skipping rows a drainer on another silo is re-driving at the same moment. A dead row is
    // superseded when the store already holds its version (a sweep repaired it, or the memory is gone) or when a newer
    // row of the same memory and store exists: applying the newer one brings the store past this one anyway.
    private const string RequeueDeadSql = """
        WITH picked AS (
            SELECT queue_id, memory_id, version, store FROM sync_queue
            WHERE status = 'dead' AND store = ANY(@stores) AND last_attempt_at < @died_before
            ORDER BY queue_id LIMIT @limit FOR UPDATE SKIP LOCKED
        ), judged AS (
            SELECT p.queue_id,
                   EXISTS (SELECT 1 FROM sync_queue n WHERE n.memory_id = p.memory_id AND n.store = p.store AND n.version > p.version)
                   OR COALESCE((SELECT (m.store_versions ->> p.store)::bigint >= p.version
                                FROM episodic_memory m WHERE m.memory_id = p.memory_id), true) AS superseded
            FROM picked p
        )
        UPDATE sync_queue q
        SET status = CASE WHEN j.superseded THEN 'done' ELSE 'pending' END,
            completed_at = CASE WHEN j.superseded THEN now() END,
            attempts = CASE WHEN j.superseded THEN q.attempts ELSE 0 END,
            next_attempt_at = now()
        FROM judged j
        WHERE q.queue_id = j.queue_id
        RETURNING j.superseded
        """;

    public async Task<OutboxRetryResult> RequeueDeadAsync(string store, IReadOnlyList<string> stores, DateTimeOffset diedBefore, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RequeueDeadSql);
        command.Parameters.AddWithValue("stores", stores.ToArray());
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("died_before", NpgsqlDbType.TimestampTz) { TypedValue = diedBefore.ToUniversalTime() });
        command.Parameters.AddWithValue("limit", limit);
        // Not repeated after an unknown outcome: the rows it moved would not be counted (nothing is lost: a second
        // call, or the next recovery, takes what is still dead).
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.OnlyIfNotSent, cancellationToken).ConfigureAwait(false);
        long requeued = 0, completed = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.GetBoolean(0))
            {
                completed++;
            }
            else
            {
                requeued++;
            }
        }

        return new OutboxRetryResult(store, requeued, completed);
    }

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE status = 'pending'),
                   count(*) FILTER (WHERE status = 'dead'),
                   COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
            FROM sync_queue WHERE status <> 'done'
            """);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxStatus(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
    }

    // Oldest first by the key's index, in slices, skipping rows another silo is deleting at the same moment: never a
    // long transaction, and two silos purging together neither wait for nor repeat each other.
    public async Task<int> PurgeCompletedAsync(TimeSpan retain, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM sync_queue WHERE queue_id IN (
                SELECT queue_id FROM sync_queue
                WHERE status = 'done' AND completed_at < now() - @retain
                ORDER BY queue_id LIMIT @limit FOR UPDATE SKIP LOCKED)
            """);
        command.Parameters.AddWithValue("retain", retain);
        command.Parameters.AddWithValue("limit", limit);
        return await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }
}
