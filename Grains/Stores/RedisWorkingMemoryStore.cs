using System.Globalization;
using MemorySync.Configuration;
using MemorySync.Model;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>Version-guarded writes and deletes, each one server-side script so no reader sees half a memory.</summary>
internal sealed class RedisWorkingMemoryStore(IConnectionMultiplexer redis, IOptions<RedisOptions> options) : IWorkingMemoryStore
{
    // Replaces the hash with the version in ARGV and seals it; the body of both writes below.
    private const string ReplaceHash = $$"""
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'version', ARGV[1], 'memory_id', ARGV[2], 'agent_id', ARGV[3], 'content', ARGV[4],
            'memory_type', ARGV[5], 'importance', ARGV[6], 'metadata', ARGV[7], 'checksum', ARGV[8],
            'last_modified', ARGV[9], 'embedding_model', ARGV[10])
        {{RedisSeal.Statement}}
        return 1
        """;

    // Replaces the hash unless it holds a newer version or this very one (same checksum): a replay or a late retry never
    // moves a memory back, and a version number reused after a strict rollback still replaces the rolled-back copy.
    private const string WriteScript = $$"""
        local current = redis.call('HGET', KEYS[1], 'version')
        if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
        if current and tonumber(current) == tonumber(ARGV[1]) and redis.call('HGET', KEYS[1], 'checksum') == ARGV[8] then return 0 end
        {{ReplaceHash}}
        """;

    // A repair: PostgreSQL's version replaces whatever Redis holds, newer-looking or edited copies included. Only the
    // memory's own grain calls it, so no live write of the memory can be in flight.
    private const string ForceWriteScript = ReplaceHash;

    private const string DeleteScript = """
        local current = redis.call('HGET', KEYS[1], 'version')
        if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
        return redis.call('DEL', KEYS[1])
        """;

    private const string RestoreScript = $$"""
        local current = redis.call('HGET', KEYS[1], 'version')
        if current ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        if ARGV[2] == '' then return 1 end
        redis.call('HSET', KEYS[1], 'version', ARGV[2], 'memory_id', ARGV[3], 'agent_id', ARGV[4], 'content', ARGV[5],
            'memory_type', ARGV[6], 'importance', ARGV[7], 'metadata', ARGV[8], 'checksum', ARGV[9],
            'last_modified', ARGV[10], 'embedding_model', ARGV[11])
        {{RedisSeal.Statement}}
        return 1
        """;

    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task WriteAsync(MemoryRecord record) => EvaluateWriteAsync(WriteScript, record);

    public Task ForceWriteAsync(MemoryRecord record) => EvaluateWriteAsync(ForceWriteScript, record);

    public async Task PurgeAsync(string memoryId)
    {
        RequireConnected();
        await redis.GetDatabase().KeyDeleteAsync(_keys.Memory(memoryId)).ConfigureAwait(false);
    }

    private async Task EvaluateWriteAsync(string script, MemoryRecord record)
    {
        RequireConnected();
        await redis.GetDatabase().ScriptEvaluateAsync(script, [_keys.Memory(record.MemoryId)],
        [
            record.Version, record.MemoryId, record.AgentId, record.Content, record.MemoryType,
            record.Importance.ToString("R", CultureInfo.InvariantCulture), record.MetadataJson, record.Checksum,
            record.LastModified.ToString("O", CultureInfo.InvariantCulture), record.EmbeddingModel ?? string.Empty,
        ]).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string memoryId, long tombstoneVersion)
    {
        RequireConnected();
        await redis.GetDatabase().ScriptEvaluateAsync(DeleteScript, [_keys.Memory(memoryId)], [tombstoneVersion]).ConfigureAwait(false);
    }

    public async Task RestoreAsync(string memoryId, long failedVersion, MemoryRecord? previous)
    {
        RequireConnected();
        RedisValue[] arguments = previous is null || previous.Deleted
            ? [failedVersion, string.Empty]
            :
            [
                failedVersion, previous.Version, previous.MemoryId, previous.AgentId, previous.Content, previous.MemoryType,
                previous.Importance.ToString("R", CultureInfo.InvariantCulture), previous.MetadataJson, previous.Checksum,
                previous.LastModified.ToString("O", CultureInfo.InvariantCulture), previous.EmbeddingModel ?? string.Empty,
            ];
        await redis.GetDatabase().ScriptEvaluateAsync(RestoreScript, [_keys.Memory(memoryId)], arguments).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyList<string> memoryIds)
    {
        if (!redis.IsConnected || memoryIds.Count == 0)
        {
            // Redis down: report every id missing, and the caller reads PostgreSQL instead.
            return new Dictionary<string, string>();
        }

        var batch = redis.GetDatabase().CreateBatch();
        var reads = memoryIds.Select(id => batch.HashGetAsync(_keys.Memory(id), "content")).ToArray();
        batch.Execute();
        var values = await Task.WhenAll(reads).ConfigureAwait(false);
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < memoryIds.Count; i++)
        {
            if (values[i].HasValue)
            {
                contents[memoryIds[i]] = values[i].ToString();
            }
        }

        return contents;
    }

    // While Redis is down the multiplexer would hold each command until its timeout: fail at once instead, so writes
    // keep their latency and the outbox takes over.
    private void RequireConnected()
    {
        if (!redis.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
        }
    }
}
