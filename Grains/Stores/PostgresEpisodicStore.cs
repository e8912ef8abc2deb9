using System.Text.Json;
using MemorySync.Configuration;
using MemorySync.Model;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Stores;

/// <summary>
/// The PostgreSQL side of one memory, as its grain uses it: each write is one statement (so one round trip, atomically).
/// Its conflicts are <see cref="PostgresConflictLog"/>'s; reads across memories, <see cref="PostgresIndexSource"/>'s.
/// </summary>
internal sealed class PostgresEpisodicStore(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, PostgresConnectionRecovery recovery,
    IOptions<PostgresOptions> options)
    : IEpisodicStore
{
    private const string SelectColumns = """
        memory_id, agent_id, content, memory_type, importance, metadata::text, version, checksum, last_modified,
        version_vector::text, store_versions::text, deleted, embedding_model, embedding_dim, faiss_label, embedding, hlc, conflicted
        """;

    private const int SelectColumnCount = 18;

    // A store that holds version v also covers every older pending row of the memory for that store: those rows
    // are done too (their versions were superseded, never to be applied over the newer one). Likewise every transaction
    // of the memory up to v still marked pending is over: its writer died before it recorded the outcome (a strict one
    // too, once committed: its row exists only if it did), and the stores hold v now.
    private const string CompleteSql = """
        WITH done AS (
            UPDATE sync_queue SET status = 'done', completed_at = now(), attempts = attempts + 1
            WHERE memory_id = @memory_id AND version <= @version AND store = ANY(@synced) AND status IN ('pending', 'dead')
        ), logged AS (
            UPDATE sync_transactions
            SET status = 'committed', stores = ARRAY['postgres'] || @synced, finished_at = now(),
                duration_ms = @duration_ms, error = @error
            WHERE transaction_id = @transaction_id
        ), closed AS (
            UPDATE sync_transactions SET status = 'committed', finished_at = now()
            WHERE memory_id = @memory_id AND version <= @version AND status = 'pending'
              AND transaction_id IS DISTINCT FROM @transaction_id
        )
        UPDATE episodic_memory SET store_versions = @store_versions
        WHERE memory_id = @memory_id AND version = @version
        RETURNING version
        """;

    // The epoch is the activation's own once it has one, a new one from the sequence on its first read. GREATEST keeps a
    // newer activation's claim: an older activation reading the row learns it was superseded instead of taking it back.
    private const string ClaimSql = $"""
        WITH epoch AS (SELECT COALESCE(@epoch, nextval('memory_activation_epochs')) AS value),
        claimed AS (
            UPDATE episodic_memory SET activation_epoch = GREATEST(activation_epoch, epoch.value)
            FROM epoch WHERE memory_id = @memory_id
            RETURNING {SelectColumns}, activation_epoch
        )
        SELECT epoch.value, claimed.* FROM epoch LEFT JOIN claimed ON true
        """;

    // Repeatable: a first claim run twice only skips an epoch number, and a claim with the activation's epoch changes
    // nothing the second time.
    public Task<MemoryClaim> ClaimAsync(string memoryId, long? epoch, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => ClaimCoreAsync(memoryId, epoch, cancellationToken));

    private async Task<MemoryClaim> ClaimCoreAsync(string memoryId, long? epoch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("epoch", NpgsqlDbType.Bigint, (object?)epoch ?? DBNull.Value);
        command.Parameters.AddWithValue("memory_id", memoryId);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var claimed = reader.GetInt64(0);
        if (reader.IsDBNull(1))
        {
            return new MemoryClaim(null, claimed, Superseded: false);
        }

        var stored = ReadStored(reader, offset: 1);
        return new MemoryClaim(stored, claimed, Superseded: reader.GetInt64(SelectColumnCount + 1) > claimed);
    }

    public Task<StoredMemory?> LoadAsync(string memoryId, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => LoadCoreAsync(memoryId, cancellationToken));

    private async Task<StoredMemory?> LoadCoreAsync(string memoryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SelectColumns} FROM episodic_memory WHERE memory_id = @memory_id");
        command.Parameters.AddWithValue("memory_id", memoryId);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadStored(reader, offset: 0) : null;
    }

    // The columns of SelectColumns, starting at the given ordinal.
    private static StoredMemory ReadStored(NpgsqlDataReader reader, int offset)
    {
        var record = new MemoryRecord(
            MemoryId: reader.GetString(offset),
            AgentId: reader.GetString(offset + 1),
            Content: reader.GetString(offset + 2),
            MemoryType: reader.GetString(offset + 3),
            Importance: reader.GetDouble(offset + 4),
            // jsonb prints its own spacing and key order: give callers the canonical text the checksum is built on.
            MetadataJson: CanonicalJson.Parse(reader.GetString(offset + 5)),
            Version: reader.GetInt64(offset + 6),
            Checksum: reader.GetString(offset + 7),
            LastModified: reader.GetFieldValue<DateTimeOffset>(offset + 8),
            VersionVector: JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(offset + 9)) ?? [],
            StoreVersions: StoreVersionsJson.Parse(reader.GetString(offset + 10)),
            Deleted: reader.GetBoolean(offset + 11),
            EmbeddingModel: reader.IsDBNull(offset + 12) ? null : reader.GetString(offset + 12),
            EmbeddingDimension: reader.IsDBNull(offset + 13) ? null : reader.GetInt32(offset + 13),
            Conflicted: reader.GetBoolean(offset + 17));
        var embedding = reader.IsDBNull(offset + 15) ? null : reader.GetFieldValue<float[]>(offset + 15);
        return new StoredMemory(record, reader.GetInt64(offset + 14), embedding, reader.GetInt64(offset + 16));
    }

    // Committed with other grains' writes in one transaction (group commit): many writers, one WAL flush. Safe to run
    // twice (group commit does after a dead connection): guarded by the previous version, a second run that finds its
    // own first one committed writes nothing and returns no label, which the grain recognizes by version and checksum.
    public async Task<CommitOutcome> CommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default)
    {
        var statement = new NpgsqlBatchCommand(PostgresCommitStatement.Sql);
        PostgresCommitStatement.AddParameters(statement.Parameters, commit);
        try
        {
            var label = await groupCommit.ExecuteScalarAsync(statement).ConfigureAwait(false);
            return label is long value ? CommitOutcome.Committed(value) : CommitOutcome.VersionMoved();
        }
        catch (Exception exception) when (PostgresUnavailable.IsDriverFailure(exception))
        {
            return PostgresUnavailable.SurelyNotWritten(exception) ? throw PostgresUnavailable.From(exception) : CommitOutcome.Unknown(exception.Message);
        }
    }

    // Repeatable: a transaction left open is never committed by a broken connection, so a second try starts clean.
    // Any failure leaves nothing committed (an open transaction that never commits rolls back).
    public Task<IOpenCommit> BeginCommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => recovery.RunAsync(token => BeginCommitOnceAsync(commit, token), PostgresRetry.Repeatable, cancellationToken));

    private async Task<IOpenCommit> BeginCommitOnceAsync(MemoryCommit commit, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // One round trip: the transaction's idle bound (Postgres:StrictTransactionIdleSeconds), then the write. If
            // this process stalls before it commits, PostgreSQL ends the session and frees the memory's row itself.
            await using var batch = new NpgsqlBatch(connection, transaction);
            var bound = new NpgsqlBatchCommand("SELECT set_config('idle_in_transaction_session_timeout', @idle, true)");
            bound.Parameters.AddWithValue("idle", $"{options.Value.StrictTransactionIdleSeconds}s");
            batch.BatchCommands.Add(bound);
            var write = new NpgsqlBatchCommand(PostgresCommitStatement.Sql);
            PostgresCommitStatement.AddParameters(write.Parameters, commit);
            batch.BatchCommands.Add(write);
            long? label = null;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    label = reader.GetInt64(0);
                }
            }

            return new PostgresOpenCommit(connection, transaction, label);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Keyed by the write's transaction id: a second try after a lost reply finds its row and changes nothing.
    public Task RecordRolledBackAsync(MemoryCommit commit, string error, string rollbackJson, double durationMilliseconds,
        CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => RecordRolledBackCoreAsync(commit, error, rollbackJson, durationMilliseconds, cancellationToken));

    private async Task RecordRolledBackCoreAsync(MemoryCommit commit, string error, string rollbackJson, double durationMilliseconds,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sync_transactions (transaction_id, memory_id, version, operation, mode, status, stores, rollback_data,
                error, started_at, finished_at, duration_ms)
            VALUES (@transaction_id, @memory_id, @version, @operation, 'strict', 'rolled_back', ARRAY['postgres', 'faiss', 'redis'],
                @rollback_data, @error, @started_at, now(), @duration_ms)
            ON CONFLICT (transaction_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("transaction_id", commit.TransactionId);
        command.Parameters.AddWithValue("memory_id", commit.Record.MemoryId);
        command.Parameters.AddWithValue("version", commit.Record.Version);
        command.Parameters.AddWithValue("operation", commit.Operation);
        command.Parameters.AddWithValue("rollback_data", NpgsqlDbType.Jsonb, rollbackJson);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("started_at", commit.Record.LastModified);
        command.Parameters.AddWithValue("duration_ms", durationMilliseconds);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync(SyncCompletion completion, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => CompleteCoreAsync(completion, cancellationToken));

    private async Task CompleteCoreAsync(SyncCompletion completion, CancellationToken cancellationToken)
    {
        var statement = new NpgsqlBatchCommand(CompleteSql);
        var parameters = statement.Parameters;
        parameters.AddWithValue("memory_id", completion.MemoryId);
        parameters.AddWithValue("version", completion.Version);
        parameters.AddWithValue("synced", completion.SyncedStores.ToArray());
        parameters.AddWithValue("duration_ms", completion.DurationMilliseconds);
        parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)completion.Error ?? DBNull.Value);
        parameters.AddWithValue("transaction_id", NpgsqlDbType.Uuid, (object?)completion.TransactionId ?? DBNull.Value);
        parameters.AddWithValue("store_versions", NpgsqlDbType.Jsonb, StoreVersionsJson.Write(completion.StoreVersions));
        // Not durable: lost in a crash, it leaves outbox rows pending, and the drainer applies and completes them again.
        await groupCommit.ExecuteScalarAsync(statement, durable: false).ConfigureAwait(false);
    }

    // The id is drawn once per repair, so a second try after a lost reply finds its row and logs the repair once.
    public Task RecordRepairAsync(string memoryId, long version, IReadOnlyList<string> repairedStores, string? error,
        CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => RecordRepairCoreAsync(memoryId, version, repairedStores, error, cancellationToken));

    private async Task RecordRepairCoreAsync(string memoryId, long version, IReadOnlyList<string> repairedStores, string? error,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sync_transactions (transaction_id, memory_id, version, operation, mode, status, stores, error, finished_at, duration_ms)
            VALUES (@transaction_id, @memory_id, @version, 'repair', 'eventual', @status, @stores, @error, now(), 0)
            ON CONFLICT (transaction_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("transaction_id", Guid.NewGuid());
        command.Parameters.AddWithValue("memory_id", memoryId);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("status", error is null ? "committed" : "failed");
        command.Parameters.AddWithValue("stores", repairedStores.ToArray());
        command.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync(string memoryId, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => HistoryCoreAsync(memoryId, cancellationToken));

    private async Task<IReadOnlyList<MemoryHistoryEntry>> HistoryCoreAsync(string memoryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT version, content, memory_type, importance, metadata::text, checksum, deleted, writer_id, created_at
            FROM memory_versions WHERE memory_id = @memory_id ORDER BY version
            """);
        command.Parameters.AddWithValue("memory_id", memoryId);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var history = new List<MemoryHistoryEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            history.Add(new MemoryHistoryEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetString(4),
                reader.GetString(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return history;
    }

    public Task<bool> ReplaceEmbeddingAsync(string memoryId, long version, float[] embedding, string embeddingModel,
        CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => ReplaceEmbeddingCoreAsync(memoryId, version, embedding, embeddingModel, cancellationToken));

    private async Task<bool> ReplaceEmbeddingCoreAsync(string memoryId, long version, float[] embedding, string embeddingModel,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE episodic_memory SET embedding = @embedding, embedding_model = @embedding_model, embedding_dim = @embedding_dim
            WHERE memory_id = @memory_id AND version = @version AND NOT deleted
            """);
        command.Parameters.AddWithValue("memory_id", memoryId);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("embedding", embedding);
        command.Parameters.AddWithValue("embedding_model", embeddingModel);
        command.Parameters.AddWithValue("embedding_dim", embedding.Length);
        return await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false) == 1;
    }
}
