using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>
/// MemorySync's one Redis key scheme. A memory's current version is the hash <c>{prefix}:memory:{memory_id}</c> with
/// the fields memory_id, agent_id, content, memory_type, importance, metadata, version, checksum, last_modified and
/// embedding_model. Ids are restricted to <c>A-Z a-z 0-9 . _ : -</c>, so a key never needs escaping.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public RedisKey Memory(string memoryId) => $"{prefix}:memory:{memoryId}";

    /// <summary>The pattern matching every memory key (for sweeps).</summary>
    public RedisValue MemoryPattern => $"{prefix}:memory:*";
}
