using System.Runtime.CompilerServices;
using System.Text.Json;
using MemorySync.Model;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Stores;

/// <summary>The PostgreSQL side of a memory: each write is one statement (so one round trip, atomically).</summary>
internal sealed class PostgresEpisodicStore(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, PostgresConnectionRecovery recovery)
    : IEpisodicStore
{
    private const string SelectColumns = """
        memory_id, agent_id, content, memory_type, importance, metadata::text, version, checksum, last_modified,
        version_vector::text, store_versions::text, deleted, embedding_model, embedding_dim, faiss_label, embedding, hlc, conflicted
        """;

    private const int SelectColumnCount = 18;

    // The guard is the ON CONFLICT ... WHERE: a row whose version is no longer the previous one, or that a newer
    // activation of the memory has claimed (sql/0009), is left alone, the CTE yields no row, and so none of the
    // dependent inserts happen either.
    private const string CommitSql = """
        WITH upserted AS (
            INSERT INTO episodic_memory AS m (memory_id, agent_id, content, memory_type, importance, metadata, embedding,
                embedding_model, embedding_dim, version, checksum, version_vector, store_versions, hlc, deleted, conflicted, last_modified,
                activation_epoch)
            VALUES (@memory_id, @agent_id, @content, @memory_type, @importance, @metadata, @embedding,
                @embedding_model, @embedding_dim, @version, @checksum, @version_vector, @store_versions, @hlc, @deleted, @conflicted, @last_modified,
                @activation_epoch)
            ON CONFLICT (memory_id) DO UPDATE SET
                agent_id = EXCLUDED.agent_id, content = EXCLUDED.content, memory_type = EXCLUDED.memory_type,
                importance = EXCLUDED.importance, metadata = EXCLUDED.metadata, embedding = EXCLUDED.embedding,
                embedding_model = EXCLUDED.embedding_model, embedding_dim = EXCLUDED.embedding_dim,
                version = EXCLUDED.version, checksum = EXCLUDED.checksum, version_vector = EXCLUDED.version_vector,
                store_versions = EXCLUDED.store_versions, hlc = EXCLUDED.hlc, deleted = EXCLUDED.deleted,
                conflicted = EXCLUDED.conflicted, last_modified = EXCLUDED.last_modified, activation_epoch = EXCLUDED.activation_epoch
            WHERE m.version = @previous_version AND m.activation_epoch <= @activation_epoch
            RETURNING faiss_label
        ), history AS (
            INSERT INTO memory_versions (memory_id, version, agent_id, content, memory_type, importance, metadata,
                embedding, checksum, version_vector, hlc, deleted, writer_id, transaction_id, created_at)
            SELECT @memory_id, @version, @agent_id, @content, @memory_type, @importance, @metadata, @embedding,
                @checksum, @version_vector, @hlc, @deleted, @writer_id, @transaction_id, @last_modified
            FROM upserted
        ), sync_log AS (
            INSERT INTO sync_transactions (transaction_id, memory_id, version, operation, mode, status, stores, started_at)
            SELECT @transaction_id, @memory_id, @version, @operation, @mode, 'pending', ARRAY['postgres'], @last_modified
            FROM upserted
        ), outbox AS (
            INSERT INTO sync_queue (memory_id, version, store, operation, transaction_id, next_attempt_at)
            SELECT @memory_id, @version, target.store, @queue_operation, @transaction_id, now() + @writer_grace
            FROM upserted CROSS JOIN (VALUES ('redis'), ('faiss')) AS target(store)
        )
        SELECT faiss_label FROM upserted
        """;

    // A store that holds version v also covers every older pending row of the memory for that store: those rows
    // are done too (their versions were superseded, never to be applied over the newer one).
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
            WHERE memory_id = @memory_id AND version <= @version AND status = 'pending' AND mode = 'eventual'
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
    public async Task<MemoryClaim> ClaimAsync(string memoryId, long? epoch, CancellationToken cancellationToken = default)
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

    public async Task<StoredMemory?> LoadAsync(string memoryId, CancellationToken cancellationToken = default)
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
    public async Task<long?> CommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default)
    {
        var statement = new NpgsqlBatchCommand(CommitSql);
        AddCommitParameters(statement.Parameters, commit);
        var label = await groupCommit.ExecuteScalarAsync(statement).ConfigureAwait(false);
        return label is long value ? value : null;
    }

    // Repeatable: a transaction left open is never committed by a broken connection, so a second try starts clean.
    public Task<IOpenCommit> BeginCommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default) =>
        recovery.RunAsync(token => BeginCommitOnceAsync(commit, token), PostgresRetry.Repeatable, cancellationToken);

    private async Task<IOpenCommit> BeginCommitOnceAsync(MemoryCommit commit, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(CommitSql, connection, transaction);
            AddCommitParameters(command.Parameters, commit);
            var label = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return new OpenCommit(connection, transaction, label is long value ? value : null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Keyed by the write's transaction id: a second try after a lost reply finds its row and changes nothing.
    public async Task RecordRolledBackAsync(MemoryCommit commit, string error, string rollbackJson, double durationMilliseconds,
        CancellationToken cancellationToken = default)
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

    private static void AddCommitParameters(NpgsqlParameterCollection parameters, MemoryCommit commit)
    {
        var record = commit.Record;
        parameters.AddWithValue("memory_id", record.MemoryId);
        parameters.AddWithValue("agent_id", record.AgentId);
        parameters.AddWithValue("content", record.Content);
        parameters.AddWithValue("memory_type", record.MemoryType);
        parameters.AddWithValue("importance", record.Importance);
        parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, record.MetadataJson);
        parameters.AddWithValue("embedding", NpgsqlDbType.Array | NpgsqlDbType.Real, (object?)commit.Embedding ?? DBNull.Value);
        parameters.AddWithValue("embedding_model", NpgsqlDbType.Text, (object?)record.EmbeddingModel ?? DBNull.Value);
        parameters.AddWithValue("embedding_dim", NpgsqlDbType.Integer, (object?)record.EmbeddingDimension ?? DBNull.Value);
        parameters.AddWithValue("version", record.Version);
        parameters.AddWithValue("previous_version", commit.PreviousVersion);
        parameters.AddWithValue("checksum", record.Checksum);
        parameters.AddWithValue("version_vector", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(record.VersionVector));
        parameters.AddWithValue("store_versions", NpgsqlDbType.Jsonb, StoreVersionsJson.Write(record.StoreVersions));
        parameters.AddWithValue("hlc", commit.Hlc);
        parameters.AddWithValue("activation_epoch", commit.ActivationEpoch);
        parameters.AddWithValue("deleted", record.Deleted);
        parameters.AddWithValue("conflicted", record.Conflicted);
        parameters.AddWithValue("last_modified", record.LastModified);
        parameters.AddWithValue("writer_id", commit.WriterId);
        parameters.AddWithValue("transaction_id", commit.TransactionId);
        parameters.AddWithValue("operation", commit.Operation);
        parameters.AddWithValue("queue_operation", record.Deleted ? "delete" : "upsert");
        parameters.AddWithValue("writer_grace", commit.WriterGrace);
        parameters.AddWithValue("mode", commit.Mode == SyncMode.Strict ? "strict" : "eventual");
    }

    private sealed class OpenCommit(NpgsqlConnection connection, NpgsqlTransaction transaction, long? label) : IOpenCommit
    {
        private bool _committed;
        private bool _disposed;

        public long? Label { get; } = label;

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (!_committed && transaction.Connection is not null)
                {
                    await transaction.RollbackAsync().ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // The connection broke: PostgreSQL rolls back an unfinished transaction by itself.
            }
            finally
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task CompleteAsync(SyncCompletion completion, CancellationToken cancellationToken = default)
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
    public async Task RecordRepairAsync(string memoryId, long version, IReadOnlyList<string> repairedStores, string? error,
        CancellationToken cancellationToken = default)
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

    public async Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync(string memoryId, CancellationToken cancellationToken = default)
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

    public async Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default)
    {
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        if (memoryIds.Count == 0)
        {
            return contents;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT memory_id, content FROM episodic_memory WHERE memory_id = ANY(@ids) AND NOT deleted");
        command.Parameters.AddWithValue("ids", memoryIds.ToArray());
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            contents[reader.GetString(0)] = reader.GetString(1);
        }

        return contents;
    }

    public async IAsyncEnumerable<ReindexRow> ReadReindexRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT memory_id, faiss_label, agent_id, memory_type, version, content, embedding, embedding_model
            FROM episodic_memory WHERE NOT deleted
            """);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new ReindexRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<float[]>(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        }
    }

    public async Task<bool> ReplaceEmbeddingAsync(string memoryId, long version, float[] embedding, string embeddingModel,
        CancellationToken cancellationToken = default)
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

    public async IAsyncEnumerable<IndexEntry> ReadIndexEntriesAsync(int dimension, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT faiss_label, memory_id, agent_id, memory_type, version, embedding
            FROM episodic_memory WHERE NOT deleted AND embedding IS NOT NULL AND embedding_dim = @dimension
            """);
        command.Parameters.AddWithValue("dimension", dimension);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new IndexEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetFieldValue<float[]>(5));
        }
    }

    public async Task RecordConflictAsync(ConflictEntry entry, CancellationToken cancellationToken = default)
    {
        // An open (Manual) conflict also flags the memory, in the same statement, so reads say so at once.
        await using var command = dataSource.CreateCommand("""
            WITH recorded AS (
                INSERT INTO conflict_resolutions (memory_id, strategy, status, current_version, incoming_version,
                    current_data, incoming_data, resolved_data, reason, resolved_at)
                VALUES (@memory_id, @strategy, @status, @current_version, @incoming_version, @current_data, @incoming_data,
                    @resolved_data, @reason, CASE WHEN @status = 'resolved' THEN now() END)
                RETURNING conflict_id
            )
            UPDATE episodic_memory SET conflicted = true
            WHERE memory_id = @memory_id AND @status = 'open' AND EXISTS (SELECT 1 FROM recorded)
            """);
        var parameters = command.Parameters;
        parameters.AddWithValue("memory_id", entry.MemoryId);
        parameters.AddWithValue("strategy", entry.Strategy);
        parameters.AddWithValue("status", entry.Status);
        parameters.AddWithValue("current_version", NpgsqlDbType.Bigint, (object?)entry.CurrentVersion ?? DBNull.Value);
        parameters.AddWithValue("incoming_version", NpgsqlDbType.Bigint, (object?)entry.IncomingVersion ?? DBNull.Value);
        parameters.AddWithValue("current_data", NpgsqlDbType.Jsonb, (object?)entry.CurrentJson ?? DBNull.Value);
        parameters.AddWithValue("incoming_data", NpgsqlDbType.Jsonb, (object?)entry.IncomingJson ?? DBNull.Value);
        parameters.AddWithValue("resolved_data", NpgsqlDbType.Jsonb, (object?)entry.ResolvedJson ?? DBNull.Value);
        parameters.AddWithValue("reason", entry.Reason);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.OnlyIfNotSent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConflictInfo>> OpenConflictsAsync(string? memoryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT conflict_id, memory_id, strategy, status, current_version, incoming_version, current_data::text,
                   incoming_data::text, reason, created_at
            FROM conflict_resolutions
            WHERE status = 'open' AND (@memory_id::text IS NULL OR memory_id = @memory_id)
            ORDER BY conflict_id
            """);
        command.Parameters.AddWithValue("memory_id", NpgsqlDbType.Text, (object?)memoryId ?? DBNull.Value);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var conflicts = new List<ConflictInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            conflicts.Add(new ConflictInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return conflicts;
    }

    public async Task ResolveConflictsAsync(string memoryId, string resolvedJson, string reason, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE conflict_resolutions
            SET status = 'resolved', resolved_data = @resolved_data, resolved_at = now(), reason = reason || '; ' || @reason
            WHERE memory_id = @memory_id AND status = 'open'
            """);
        command.Parameters.AddWithValue("memory_id", memoryId);
        command.Parameters.AddWithValue("resolved_data", NpgsqlDbType.Jsonb, resolvedJson);
        command.Parameters.AddWithValue("reason", reason);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }
}
