using System.Runtime.CompilerServices;
using MemorySync.Stores;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Index;

/// <summary>Index shard snapshots in PostgreSQL (table index_snapshots), and what an activation replays on top of one.</summary>
internal sealed class IndexSnapshotStore(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery)
{
    // Outbox ids are taken when a commit's statement runs, not when it commits: a row with a lower id than one the
    // shard already holds may commit, and reach the shard, after its snapshot. Replaying this much before the
    // snapshot's time as well covers any commit in flight (statements time out long before); replaying a version the
    // snapshot already holds changes nothing.
    private static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(5);

    // A snapshot of 100,000 vectors of 384 floats is about 150 MB: give its write and read more than a query's timeout.
    private const int SnapshotCommandTimeoutSeconds = 600;

    /// <summary>
    /// Claims the shard for a new activation: its epoch, higher than any earlier activation's. From then on saves of
    /// those earlier activations are refused, so one that lives on elsewhere (a partition, a lost lease) cannot
    /// overwrite what this one saves.
    /// </summary>
    public async Task<long> ClaimEpochAsync(int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO index_shard_epochs AS claimed (shard, epoch) VALUES (@shard, 1)
            ON CONFLICT (shard) DO UPDATE SET epoch = claimed.epoch + 1
            RETURNING epoch
            """);
        command.Parameters.AddWithValue("shard", shard);
        // Repeatable: a claim run twice only skips an epoch number; the activation holds the one it got back.
        return (long)(await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The highest queue id in the outbox now: a rebuild that reads PostgreSQL after this holds every row up to it.</summary>
    public async Task<long> OutboxEndAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(queue_id), 0) FROM sync_queue");
        return (long)(await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The highest FAISS outbox queue id among the given changes (label, version) a shard applied, and PostgreSQL's
    /// clock now (before the shard captures its index, so the snapshot's time never runs ahead of what it holds).
    /// A change without a row (a repair, a purged tombstone) adds nothing.
    /// </summary>
    public async Task<(long HighestQueueId, DateTimeOffset Now)> ResolvePositionAsync(IReadOnlyDictionary<long, long> applied,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce((SELECT max(q.queue_id)
                             FROM unnest(@labels, @versions) AS held(label, version)
                             JOIN episodic_memory m ON m.faiss_label = held.label
                             JOIN sync_queue q ON q.memory_id = m.memory_id AND q.version = held.version AND q.store = 'faiss'), 0),
                   now()
            """);
        command.Parameters.AddWithValue("labels", applied.Keys.ToArray());
        command.Parameters.AddWithValue("versions", applied.Values.ToArray());
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>
    /// Saves the snapshot unless a newer one stands; false when it was refused. Newer means, in this order: a later
    /// epoch, then a later outbox position. The epoch comes first because a later activation began from the newest
    /// snapshot there was and replayed everything after it, so it holds all an earlier one did plus what came since,
    /// even where its position is lower (the earlier one may have applied rows of its own meanwhile, which are in
    /// PostgreSQL and which the later one replayed). Within one activation positions only grow, so a lower one is a
    /// save that arrived late (its command outlived the client's timeout); an equal one holds the same outbox rows
    /// and a newer index (a training, a repair), so it replaces.
    /// </summary>
    public async Task<bool> SaveAsync(IndexSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        // FOR SHARE on the shard's epoch row: a claim committing at this moment is waited for and then seen, so no
        // save of an earlier epoch lands after a later activation claimed the shard and loaded its snapshot.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO index_snapshots AS stored (shard, factory, metric, dimension, embedding_model, vector_count, epoch, outbox_position,
                taken_at, index_data, label_map)
            SELECT @shard, @factory, @metric, @dimension, NULL, @vector_count, @epoch, @outbox_position, @taken_at, @index_data, @label_map
            WHERE @epoch >= coalesce((SELECT epoch FROM index_shard_epochs WHERE shard = @shard FOR SHARE), 0)
            ON CONFLICT (shard) DO UPDATE SET factory = EXCLUDED.factory, metric = EXCLUDED.metric, dimension = EXCLUDED.dimension,
                vector_count = EXCLUDED.vector_count, epoch = EXCLUDED.epoch, outbox_position = EXCLUDED.outbox_position,
                taken_at = EXCLUDED.taken_at, index_data = EXCLUDED.index_data, label_map = EXCLUDED.label_map
            WHERE (stored.epoch, stored.outbox_position) <= (EXCLUDED.epoch, EXCLUDED.outbox_position)
            RETURNING shard
            """);
        command.CommandTimeout = SnapshotCommandTimeoutSeconds;
        var parameters = command.Parameters;
        parameters.AddWithValue("shard", snapshot.Shard);
        parameters.AddWithValue("factory", snapshot.Factory);
        parameters.AddWithValue("metric", snapshot.Metric);
        parameters.AddWithValue("dimension", snapshot.Dimension);
        parameters.AddWithValue("vector_count", snapshot.VectorCount);
        parameters.AddWithValue("epoch", snapshot.Epoch);
        parameters.AddWithValue("outbox_position", snapshot.OutboxPosition);
        parameters.AddWithValue("taken_at", snapshot.TakenAt);
        parameters.AddWithValue("index_data", NpgsqlDbType.Bytea, snapshot.IndexData);
        parameters.AddWithValue("label_map", NpgsqlDbType.Bytea, snapshot.LabelMap);
        // Repeatable: run again after its first run landed, the upsert meets an equal epoch and position, which
        // replace, so it stores the same snapshot and reports it saved, as the first run would have.
        return await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The shard's snapshot and its age by PostgreSQL's clock (the clock its taken_at and the outbox's times come from).</summary>
    public async Task<(IndexSnapshot Snapshot, TimeSpan Age)?> LoadAsync(int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT factory, metric, dimension, vector_count, epoch, outbox_position, taken_at, index_data, label_map,
                   EXTRACT(EPOCH FROM now() - taken_at)::float8
            FROM index_snapshots WHERE shard = @shard
            """);
        command.CommandTimeout = SnapshotCommandTimeoutSeconds;
        command.Parameters.AddWithValue("shard", shard);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var snapshot = new IndexSnapshot(shard, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<byte[]>(7), reader.GetFieldValue<byte[]>(8));
        return (snapshot, TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(9))));
    }

    /// <summary>
    /// Memories with FAISS outbox rows the snapshot may not hold: after its position, from its last minutes, or not
    /// done yet (a row the shard missed below its position, waiting for the drainer). Through is the highest queue id
    /// read: once the listed memories are replayed, the shard holds every row up to it.
    /// </summary>
    public async Task<(List<string> MemoryIds, long Through)> ChangedSinceAsync(IndexSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT memory_id, max(queue_id) FROM sync_queue
            WHERE store = 'faiss' AND (queue_id > @position OR created_at > @since OR status <> 'done')
            GROUP BY memory_id
            """);
        command.Parameters.AddWithValue("position", snapshot.OutboxPosition);
        command.Parameters.AddWithValue("since", snapshot.TakenAt - InFlightWindow);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        var through = snapshot.OutboxPosition;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
            through = Math.Max(through, reader.GetInt64(1));
        }

        return (ids, through);
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

/// <summary>
/// A shard's serialized FAISS index and label map; the epoch of the activation that took it; the highest FAISS outbox
/// queue id whose change it holds; and the time (PostgreSQL's clock) it was taken.
/// </summary>
internal sealed record IndexSnapshot(
    int Shard,
    string Factory,
    string Metric,
    int Dimension,
    long VectorCount,
    long Epoch,
    long OutboxPosition,
    DateTimeOffset TakenAt,
    byte[] IndexData,
    byte[] LabelMap);
