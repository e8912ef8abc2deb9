using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MemorySync.Configuration;
using MemorySync.Model;
using MemorySync.Stores;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync.Consistency;

/// <summary>Redis's side of a sweep: digests computed server-side a SCAN step at a time, and copies read for comparison.</summary>
internal sealed class RedisSweepSource(IConnectionMultiplexer redis, IOptions<RedisOptions> options)
{
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    /// <summary>One SCAN step of the digest pass over ranges [first, end); the cursor is 0 again when the pass is complete.</summary>
    public async Task<DigestStep> DigestStepAsync(long cursor, int first, int end, int count)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RedisSweepScripts.DigestStep, [],
            [cursor, _keys.MemoryPattern(first, end), count, _keys.StemLength, first, end]).ConfigureAwait(false))!;
        var digests = new List<RangeDigest>();
        for (var i = 2; i + 2 < result.Length; i += 3)
        {
            digests.Add(new RangeDigest((int)result[i], (int)result[i + 1], (int)result[i + 2]));
        }

        return new DigestStep(long.Parse((string)result[0]!, CultureInfo.InvariantCulture), (int)result[1], digests);
    }

    /// <summary>Every memory id Redis holds in the given ranges (one SCAN pass).</summary>
    public async Task<HashSet<string>> ListAsync(IReadOnlyCollection<int> ranges, int count)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (ranges.Count == 0)
        {
            return ids;
        }

        var cursor = 0L;
        do
        {
            RedisValue[] arguments = [cursor, _keys.MemoryPattern(ranges.Min(), ranges.Max() + 1), count, _keys.StemLength,
                .. ranges.Select(range => (RedisValue)range)];
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RedisSweepScripts.ListStep, [], arguments)
                .ConfigureAwait(false))!;
            cursor = long.Parse((string)result[0]!, CultureInfo.InvariantCulture);
            for (var i = 2; i < result.Length; i++)
            {
                ids.Add((string)result[i]!);
            }
        }
        while (cursor != 0);

        return ids;
    }

    /// <summary>Redis's copy of each id (absent ids are left out), read in one pipelined round trip.</summary>
    public async Task<Dictionary<string, RedisCopy>> ReadAsync(IReadOnlyCollection<string> memoryIds)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = memoryIds.Select(id => (Id: id, Read: batch.HashGetAllAsync(_keys.Memory(id)))).ToList();
        batch.Execute();
        var copies = new Dictionary<string, RedisCopy>(StringComparer.Ordinal);
        foreach (var (id, read) in reads)
        {
            var entries = await read.ConfigureAwait(false);
            if (entries.Length > 0)
            {
                copies[id] = RedisCopy.From(id, entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal));
            }
        }

        return copies;
    }
}

/// <summary>One SCAN step: the next cursor (0 when done), the keys it visited, and the partial digests of the ranges it touched.</summary>
internal sealed record DigestStep(long Cursor, int Visited, IReadOnlyList<RangeDigest> Digests);

/// <summary>A memory's hash as Redis holds it, judged: its version and checksum, and whether it is intact.</summary>
/// <param name="Intact">The fields match their seal, name the right memory, and rebuild the checksum they carry.</param>
internal sealed record RedisCopy(long Version, string Checksum, bool Intact)
{
    public static RedisCopy From(string memoryId, IReadOnlyDictionary<string, string> fields)
    {
        var version = long.TryParse(fields.GetValueOrDefault("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        var checksum = fields.GetValueOrDefault("checksum") ?? string.Empty;
        return new RedisCopy(version, checksum, IsIntact(memoryId, fields, checksum));
    }

    private static bool IsIntact(string memoryId, IReadOnlyDictionary<string, string> fields, string checksum)
    {
        var joined = string.Join('\0', RedisSeal.SealedFieldNames.Select(field => fields.GetValueOrDefault(field) ?? string.Empty));
        var seal = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(joined)));
        if (fields.GetValueOrDefault("seal") != seal || fields.GetValueOrDefault("memory_id") != memoryId)
        {
            return false;
        }

        // The seal proves no one edited the hash since it was written; the checksum proves what was written was right.
        try
        {
            var importance = double.Parse(fields["importance"], NumberStyles.Float, CultureInfo.InvariantCulture);
            var rebuilt = MemoryChecksum.Compute(memoryId, fields["agent_id"], fields["content"], fields["memory_type"], importance,
                CanonicalJson.Parse(fields["metadata"]), deleted: false);
            return rebuilt == checksum;
        }
        catch (Exception exception) when (exception is FormatException or KeyNotFoundException or System.Text.Json.JsonException or MemoryValidationException)
        {
            return false;
        }
    }
}
