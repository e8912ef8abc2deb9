using MemorySync.Model;

namespace MemorySync.Consistency;

/// <summary>
/// The Lua that lets Redis take part in sweeps without sending its records over the wire. Each memory hash carries a
/// <c>seal</c> (<see cref="RedisSeal"/>): SHA-1 of its fields, set by the script that writes it. A copy whose fields no longer match its seal
/// (an edit behind MemorySync's back) contributes a token PostgreSQL never has, so its range's digest differs. The seal
/// is no secret, so an editor can recompute it: the token therefore re-hashes the content the hash holds (sql/0006),
/// which PostgreSQL hashes from its own row.
/// </summary>
internal static class RedisSweepScripts
{
    // Shared helpers: the fingerprint of a text, as in SweepHash and sql/0003, and the seal.
    private const string Helpers = $"""
        local function fingerprint(text) return bit.tobit(tonumber(string.sub(redis.sha1hex(text), 1, 8), 16)) end
        {RedisSeal.Function}
        """;

    /// <summary>
    /// One SCAN step (ARGV: cursor, match pattern, count, key stem length, first range, end range). A key is
    /// stem, three hex digits of range, ':' and the id (RedisKeyScheme). Returns the next cursor, the keys visited, then
    /// (range, digest, count) for every range in [first, end) that had keys.
    /// </summary>
    public const string DigestStep = $$"""
        {{Helpers}}
        local scan = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
        local stem, first, stop = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
        local digests, counts = {}, {}
        for _, key in ipairs(scan[2]) do
            local range = tonumber(string.sub(key, stem + 1, stem + 3), 16)
            local id = string.sub(key, stem + 5)
            if range and range >= first and range < stop then
                local f = redis.call('HMGET', key, {{RedisSeal.SealedFields}}, 'seal')
                local token
                if f[10] and f[10] == seal_of(f) and f[1] == id then
                    -- The content re-hashed as held, not the checksum alone: a resealed edit still shows (sql/0006).
                    token = fingerprint(id .. '\n' .. (f[8] or '') .. '\n' .. (f[7] or '') .. '\n' .. (f[2] or '') .. '\n' .. (f[4] or '')
                        .. '\n' .. redis.sha1hex(f[3] or ''))
                else
                    token = fingerprint(id .. '\ncorrupt')
                end
                digests[range] = bit.bxor(digests[range] or 0, token)
                counts[range] = (counts[range] or 0) + 1
            end
        end
        local result = {scan[1], #scan[2]}
        for range, digest in pairs(digests) do
            table.insert(result, range)
            table.insert(result, digest)
            table.insert(result, counts[range])
        end
        return result
        """;

    /// <summary>
    /// One SCAN step listing the ids in some ranges (ARGV: cursor, match pattern, count, key stem length, then the
    /// ranges). Returns the next cursor, the keys visited, then the ids found.
    /// </summary>
    public const string ListStep = $$"""
        {{Helpers}}
        local scan = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
        local stem = tonumber(ARGV[4])
        local wanted = {}
        for i = 5, #ARGV do wanted[tonumber(ARGV[i])] = true end
        local result = {scan[1], #scan[2]}
        for _, key in ipairs(scan[2]) do
            local range = tonumber(string.sub(key, stem + 1, stem + 3), 16)
            if range and wanted[range] then table.insert(result, string.sub(key, stem + 5)) end
        end
        return result
        """;

    /// <summary>Whether the hash KEYS[1] still matches its seal: 1 intact, 0 edited or unsealed, -1 absent.</summary>
    public const string SealCheck = $$"""
        {{Helpers}}
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local f = redis.call('HMGET', KEYS[1], {{RedisSeal.SealedFields}}, 'seal')
        if f[10] and f[10] == seal_of(f) then return 1 end
        return 0
        """;
}
