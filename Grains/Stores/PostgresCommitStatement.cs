using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Stores;

/// <summary>
/// The one statement that writes a new version of a memory (its row, history, sync transaction and outbox rows), and its
/// parameters: the eventual path runs it in a group commit, the strict path inside a transaction it keeps open.
/// </summary>
internal static class PostgresCommitStatement
{
    // The history row keeps what a version said, not its vector: nothing reads an old version's vector (the memory row
    // holds the current one), and the copy cost about a seventh of a write's throughput (docs/write-path.md).
    // The guard is the ON CONFLICT ... WHERE: a row whose version is no longer the previous one, or that a newer
    // activation of the memory has claimed (sql/0009), is left alone, the CTE yields no row, and so none of the
    // dependent inserts happen either.
    public const string Sql = """
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
                checksum, version_vector, hlc, deleted, writer_id, transaction_id, created_at)
            SELECT @memory_id, @version, @agent_id, @content, @memory_type, @importance, @metadata,
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

    public static void AddParameters(NpgsqlParameterCollection parameters, MemoryCommit commit)
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
}
