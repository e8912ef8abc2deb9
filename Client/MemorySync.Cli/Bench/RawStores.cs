using MemorySync.Faiss;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The raw baselines: the same records written straight to PostgreSQL (a table of the bench's own with the memory
/// columns, so MemorySync's tables and sweeps never see them), to Redis (hashes under the bench's own prefix) and to a
/// FAISS index in this process (exact, as a shard starts: the silo's own binding).
/// </summary>
internal sealed class RawStores(NpgsqlDataSource postgres, IConnectionMultiplexer redis) : IAsyncDisposable
{
    private const string Table = "bench_raw_memory";
    private const string RedisPrefix = "membench:raw:";

    private readonly FaissIndex _faiss = FaissIndex.Create(FaissIndex.DefaultFactory, FaissMetric.InnerProduct, BenchRecords.Dimension);
    private long _nextLabel;

    private const string UpsertSql = $"""
        INSERT INTO {Table} (memory_id, agent_id, content, memory_type, importance, metadata, embedding, version, last_modified)
        VALUES (@memory_id, @agent_id, @content, @memory_type, @importance, @metadata, @embedding, 1, now())
        ON CONFLICT (memory_id) DO UPDATE SET agent_id = EXCLUDED.agent_id, content = EXCLUDED.content,
            memory_type = EXCLUDED.memory_type, importance = EXCLUDED.importance, metadata = EXCLUDED.metadata,
            embedding = EXCLUDED.embedding, version = {Table}.version + 1, last_modified = now()
        """;

    public async Task ResetAsync()
    {
        await using var command = postgres.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS {Table} (
                memory_id text PRIMARY KEY, agent_id text NOT NULL, content text NOT NULL, memory_type text NOT NULL,
                importance double precision NOT NULL, metadata jsonb NOT NULL, embedding real[], version bigint NOT NULL,
                last_modified timestamptz NOT NULL);
            TRUNCATE {Table};
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One upsert on its own connection from the pool (sequential or concurrent callers).</summary>
    public async Task UpsertAsync(MemoryWrite record)
    {
        await using var command = postgres.CreateCommand(UpsertSql);
        AddParameters(command.Parameters, record);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Many upserts in one transaction, sent as one batch (one round trip).</summary>
    public async Task UpsertBatchAsync(IReadOnlyList<MemoryWrite> records)
    {
        await using var connection = await postgres.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var record in records)
        {
            var command = new NpgsqlBatchCommand(UpsertSql);
            AddParameters(command.Parameters, record);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Each record as one hash, all of them pipelined.</summary>
    public async Task WriteRedisPipelinedAsync(IReadOnlyList<MemoryWrite> records)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var writes = records.Select(record => batch.HashSetAsync(RedisPrefix + record.MemoryId, Fields(record))).ToArray();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    /// <summary>One hash, one round trip.</summary>
    public Task WriteRedisAsync(MemoryWrite record) => redis.GetDatabase().HashSetAsync(RedisPrefix + record.MemoryId, Fields(record));

    /// <summary>One memory's hash, as a read from working memory would fetch it.</summary>
    public Task ReadRedisAsync(string memoryId) => redis.GetDatabase().HashGetAllAsync(RedisPrefix + memoryId);

    /// <summary>Many vectors in one add call.</summary>
    public void AddToFaiss(IReadOnlyList<MemoryWrite> records)
    {
        var vectors = new float[records.Count * _faiss.Dimension];
        var labels = new long[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            records[i].Embedding!.CopyTo(vectors, i * _faiss.Dimension);
            labels[i] = Interlocked.Increment(ref _nextLabel);
        }

        _faiss.Add(vectors, labels);
    }

    public async ValueTask DisposeAsync()
    {
        _faiss.Dispose();
        await using var command = postgres.CreateCommand($"TRUNCATE {Table}");
        await command.ExecuteNonQueryAsync();
        var server = redis.GetServers().First();
        foreach (var keys in server.Keys(pattern: RedisPrefix + "*", pageSize: 1000).Chunk(1000))
        {
            await redis.GetDatabase().KeyDeleteAsync(keys);
        }
    }

    private static HashEntry[] Fields(MemoryWrite record) =>
    [
        new("memory_id", record.MemoryId), new("agent_id", record.AgentId), new("content", record.Content),
        new("memory_type", record.MemoryType), new("importance", record.Importance), new("metadata", record.MetadataJson ?? "{}"),
        new("version", 1),
    ];

    private static void AddParameters(NpgsqlParameterCollection parameters, MemoryWrite record)
    {
        parameters.AddWithValue("memory_id", record.MemoryId);
        parameters.AddWithValue("agent_id", record.AgentId);
        parameters.AddWithValue("content", record.Content);
        parameters.AddWithValue("memory_type", record.MemoryType);
        parameters.AddWithValue("importance", record.Importance);
        parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, record.MetadataJson ?? "{}");
        parameters.AddWithValue("embedding", (object?)record.Embedding ?? DBNull.Value);
    }
}
