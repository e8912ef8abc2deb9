using System.Runtime.CompilerServices;
using MemorySync.Stores;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Index;

/// <summary>Index shard snapshots in PostgreSQL (table index_snapshots), and what an activation replays on top of one.</summary>
internal sealed class IndexSnapshotStore(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery)
{
    // Outbox ids are taken when a commit's statement runs, not when it commits: a row with a lower id may become
    // visible after a snapshot. Replaying this much before the snapshot's time as well covers any commit in flight
    // (statements time out long before); replaying a version the snapshot already holds changes nothing.
    private static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(5);

    // A snapshot of 100,000 vectors of 384 floats is about 150 MB: give its write and read more than a query's timeout.
    private const int SnapshotCommandTimeoutSeconds = 600;

    /// <summary>The queue id such that every FAISS outbox row up to it is done (applied or superseded) now.</summary>
    public async Task<long> OutboxPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce((SELECT min(queue_id) - 1 FROM sync_queue WHERE store = 'faiss' AND status <> 'done'),
                            (SELECT max(queue_id) FROM sync_queue), 0)
            """);
        return (long)(await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task SaveAsync(IndexSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO index_snapshots (shard, factory, metric, dimension, embedding_model, vector_count, outbox_position, taken_at, index_data, label_map)
            VALUES (@shard, @factory, @metric, @dimension, NULL, @vector_count, @outbox_position, @taken_at, @index_data, @label_map)
            ON CONFLICT (shard) DO UPDATE SET factory = EXCLUDED.factory, metric = EXCLUDED.metric, dimension = EXCLUDED.dimension,
                vector_count = EXCLUDED.vector_count, outbox_position = EXCLUDED.outbox_position, taken_at = EXCLUDED.taken_at,
                index_data = EXCLUDED.index_data, label_map = EXCLUDED.label_map
            """);
        command.CommandTimeout = SnapshotCommandTimeoutSeconds;
        var parameters = command.Parameters;
        parameters.AddWithValue("shard", snapshot.Shard);
        parameters.AddWithValue("factory", snapshot.Factory);
        parameters.AddWithValue("metric", snapshot.Metric);
        parameters.AddWithValue("dimension", snapshot.Dimension);
        parameters.AddWithValue("vector_count", snapshot.VectorCount);
        parameters.AddWithValue("outbox_position", snapshot.OutboxPosition);
        parameters.AddWithValue("taken_at", snapshot.TakenAt);
        parameters.AddWithValue("index_data", NpgsqlDbType.Bytea, snapshot.IndexData);
        parameters.AddWithValue("label_map", NpgsqlDbType.Bytea, snapshot.LabelMap);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IndexSnapshot?> LoadAsync(int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT factory, metric, dimension, vector_count, outbox_position, taken_at, index_data, label_map
            FROM index_snapshots WHERE shard = @shard
            """);
        command.CommandTimeout = SnapshotCommandTimeoutSeconds;
        command.Parameters.AddWithValue("shard", shard);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new IndexSnapshot(shard, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6), reader.GetFieldValue<byte[]>(7));
    }

    /// <summary>Memories with FAISS outbox rows the snapshot may not include: after its position, or from its last minutes.</summary>
    public async Task<List<string>> ChangedSinceAsync(IndexSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT memory_id FROM sync_queue
            WHERE store = 'faiss' AND (queue_id > @position OR created_at > @since)
            """);
        command.Parameters.AddWithValue("position", snapshot.OutboxPosition);
        command.Parameters.AddWithValue("since", snapshot.TakenAt - InFlightWindow);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>What the index should hold for each id now: an entry for a live memory with a vector of the dimension, else null.</summary>
    public async IAsyncEnumerable<(string MemoryId, long Label, IndexEntry? Entry)> CurrentEntriesAsync(IReadOnlyCollection<string> memoryIds, int dimension,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT memory_id, faiss_label, agent_id, memory_type, version,
                   CASE WHEN NOT deleted AND embedding_dim = @dimension THEN embedding END
            FROM episodic_memory WHERE memory_id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", memoryIds.ToArray());
        command.Parameters.AddWithValue("dimension", dimension);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var memoryId = reader.GetString(0);
            var label = reader.GetInt64(1);
            var entry = reader.IsDBNull(5)
                ? null
                : new IndexEntry(label, memoryId, reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetFieldValue<float[]>(5));
            yield return (memoryId, label, entry);
        }
    }
}

/// <summary>A shard's serialized FAISS index and label map, and the outbox position and time it covers.</summary>
internal sealed record IndexSnapshot(
    int Shard,
    string Factory,
    string Metric,
    int Dimension,
    long VectorCount,
    long OutboxPosition,
    DateTimeOffset TakenAt,
    byte[] IndexData,
    byte[] LabelMap);
