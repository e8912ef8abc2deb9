using MemorySync.Model;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>
/// MemorySync's one Redis key scheme (<see cref="RedisKeyScheme"/>). A memory's current version is the hash
/// <c>{prefix}:m:{range}:{memory_id}</c> with the fields memory_id, agent_id, content, memory_type, importance, metadata,
/// version, checksum, last_modified, embedding_model and seal. Ids are restricted to <c>A-Z a-z 0-9 . _ : -</c>, so a
/// key never needs escaping.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public RedisKey Memory(string memoryId) => RedisKeyScheme.MemoryKey(prefix, memoryId);

    /// <summary>The pattern matching every memory key of ranges [first, end) (and maybe more of the same leading digits).</summary>
    public RedisValue MemoryPattern(int first, int end) => RedisKeyScheme.PatternFor(prefix, first, end);

    /// <summary>The length of what precedes the three range digits in every memory key.</summary>
    public int StemLength => RedisKeyScheme.MemoryKeyStem(prefix).Length;
}
