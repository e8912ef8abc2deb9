namespace MemorySync.Model;

/// <summary>
/// The seal every memory hash in Redis carries: SHA-1 of its fields, set by the script that writes it, so that a
/// sweep can tell a copy edited behind MemorySync's back (its fields no longer match its seal). The write scripts
/// append <see cref="Statement"/>; the sweeps' scripts check seals with <see cref="Function"/>.
/// </summary>
internal static class RedisSeal
{
    /// <summary>The fields a seal covers, in this order, joined by NUL.</summary>
    public const string SealedFields = "'memory_id', 'agent_id', 'content', 'memory_type', 'importance', 'metadata', 'checksum', 'version', 'embedding_model'";

    /// <summary>The same fields as names, for checking a seal in .NET.</summary>
    public static readonly string[] SealedFieldNames = [.. SealedFields.Split(", ").Select(field => field.Trim('\''))];

    /// <summary>The seal of the sealed fields as HMGET returns them: the one definition the write scripts and the sweeps share.</summary>
    public const string Function = """
        local function seal_of(f)
            return redis.sha1hex(table.concat({f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '', f[6] or '',
                f[7] or '', f[8] or '', f[9] or ''}, '\0'))
        end
        """;

    /// <summary>The Lua statement that seals the hash KEYS[1] after a write (appended to the write scripts).</summary>
    public const string Statement = $$"""
        {{Function}}
        redis.call('HSET', KEYS[1], 'seal', seal_of(redis.call('HMGET', KEYS[1], {{SealedFields}})))
        """;
}
