using MemorySync.Model;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Testing;

/// <summary>Reads each store directly (never through a grain's own state), the way an auditor would.</summary>
internal sealed class StoreReader(NpgsqlDataSource postgres, IConnectionMultiplexer redis, IGrainFactory grains, string keyPrefix = "memsync",
    int indexShards = 1)
{
    public sealed record PostgresRow(long Version, string Checksum, bool Deleted, long Label, string StoreVersions);

    public async Task<PostgresRow?> PostgresAsync(string memoryId)
    {
        await using var command = postgres.CreateCommand(
            "SELECT version, checksum, deleted, faiss_label, store_versions::text FROM episodic_memory WHERE memory_id = @id");
        command.Parameters.AddWithValue("id", memoryId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new PostgresRow(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3), reader.GetString(4))
            : null;
    }

    public async Task<long> CountRowsAsync(string table, string memoryId)
    {
        await using var command = postgres.CreateCommand($"SELECT count(*) FROM {table} WHERE memory_id = @id");
        command.Parameters.AddWithValue("id", memoryId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<Dictionary<string, string>?> RedisAsync(string memoryId)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(RedisKey(memoryId));
        return entries.Length == 0 ? null : entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
    }

    /// <summary>The memory's Redis key under the fixture's key prefix.</summary>
    public string RedisKey(string memoryId) => RedisKeyScheme.MemoryKey(keyPrefix, memoryId);

    public Task<IndexEntryProbe> FaissAsync(string memoryId, long label) =>
        grains.GetGrain<IIndexGrain>(IndexShards.ShardOf(memoryId, indexShards)).ProbeAsync(label);
}
