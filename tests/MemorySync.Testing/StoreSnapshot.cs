using MemorySync.Model;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Testing;

/// <summary>Everything the checker compares, read straight from PostgreSQL, Redis and every FAISS shard.</summary>
internal sealed record StoreSnapshot(
    IReadOnlyDictionary<string, StoreSnapshot.Row> Memories,
    IReadOnlyList<StoreSnapshot.HistoryRow> History,
    IReadOnlyDictionary<string, StoreSnapshot.RedisCopy> Redis,
    IReadOnlyList<IndexedMemory> Index,
    long IndexVectors,
    long Transactions,
    long PendingTransactions,
    long OutboxRows,
    long PendingOutbox,
    long DeadOutbox)
{
    public sealed record Row(long Version, string Checksum, bool Deleted, long Label);

    /// <param name="StampAheadSeconds">How far the version's hybrid-clock stamp is ahead of PostgreSQL's commit time (negative: behind).</param>
    public sealed record HistoryRow(string MemoryId, long Version, string Content, bool Deleted, double StampAheadSeconds = 0);

    public sealed record RedisCopy(string? Version, string? Checksum);

    public static async Task<StoreSnapshot> ReadAsync(NpgsqlDataSource postgres, IConnectionMultiplexer redis, IGrainFactory grains, string keyPrefix)
    {
        // The index first and PostgreSQL last: a write still landing shows as a store behind PostgreSQL, never ahead.
        var shards = await grains.GetGrain<IStatsGrain>(0).GetLayoutAsync();
        var allRanges = Enumerable.Range(0, SweepHash.RangeCount).ToList();
        var index = new List<IndexedMemory>();
        long vectors = 0;
        for (var shard = 0; shard < shards.IndexShards; shard++)
        {
            index.AddRange(await grains.GetGrain<IIndexGrain>(shard).ListAsync(allRanges));
            vectors += await grains.GetGrain<IIndexGrain>(shard).CountAsync();
        }

        var copies = await ReadRedisAsync(redis, keyPrefix);

        var memories = new Dictionary<string, Row>(StringComparer.Ordinal);
        await using (var command = postgres.CreateCommand("SELECT memory_id, version, checksum, deleted, faiss_label FROM episodic_memory"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                memories[reader.GetString(0)] = new Row(reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt64(4));
            }
        }

        var history = new List<HistoryRow>();
        // hlc: wall-clock milliseconds << 16 | a counter (HybridLogicalClock).
        const string History = "SELECT memory_id, version, content, deleted, (hlc >> 16)::float8 / 1000 - extract(epoch FROM created_at)::float8 FROM memory_versions";
        await using (var command = postgres.CreateCommand(History))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                history.Add(new HistoryRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3), reader.GetDouble(4)));
            }
        }

        return new StoreSnapshot(memories, history, copies, index, vectors,
            await CountAsync(postgres, "SELECT count(*) FROM sync_transactions"),
            await CountAsync(postgres, "SELECT count(*) FROM sync_transactions WHERE status = 'pending'"),
            await CountAsync(postgres, "SELECT count(*) FROM sync_queue"),
            await CountAsync(postgres, "SELECT count(*) FROM sync_queue WHERE status = 'pending'"),
            await CountAsync(postgres, "SELECT count(*) FROM sync_queue WHERE status = 'dead'"));
    }

    /// <summary>Everything read, one fact a line in a fixed order: two snapshots of the same stores have the same lines.</summary>
    public IReadOnlyList<string> Lines() =>
    [
        $"{Transactions} transactions, {PendingTransactions} pending",
        $"{OutboxRows} outbox rows, {PendingOutbox} pending, {DeadOutbox} dead",
        $"{IndexVectors} vectors",
        .. Memories.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"postgres {pair.Key} {pair.Value}"),
        .. History.OrderBy(row => row.MemoryId, StringComparer.Ordinal).ThenBy(row => row.Version).Select(row => $"history {row}"),
        .. Redis.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"redis {pair.Key} {pair.Value}"),
        .. Index.OrderBy(entry => entry.MemoryId, StringComparer.Ordinal).ThenBy(entry => entry.Label).Select(entry => $"index {entry}"),
    ];

    private static async Task<Dictionary<string, RedisCopy>> ReadRedisAsync(IConnectionMultiplexer redis, string keyPrefix)
    {
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var database = redis.GetDatabase();
        var copies = new Dictionary<string, RedisCopy>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: RedisKeyScheme.MemoryKeyStem(keyPrefix) + "*", pageSize: 1000))
        {
            var fields = await database.HashGetAsync(key, ["memory_id", "version", "checksum"]);
            // A hash without its memory_id field is itself a divergence; the key names the memory either way.
            var memoryId = fields[0].IsNull ? IdInKey(key.ToString(), keyPrefix) : fields[0].ToString();
            copies[memoryId] = new RedisCopy(fields[1].IsNull ? null : fields[1].ToString(), fields[2].IsNull ? null : fields[2].ToString());
        }

        return copies;
    }

    // {prefix}:m:{range}:{memory_id} (RedisKeyScheme): what follows the range.
    private static string IdInKey(string key, string keyPrefix) => key[(key.IndexOf(':', RedisKeyScheme.MemoryKeyStem(keyPrefix).Length) + 1)..];

    private static async Task<long> CountAsync(NpgsqlDataSource postgres, string sql)
    {
        await using var command = postgres.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
