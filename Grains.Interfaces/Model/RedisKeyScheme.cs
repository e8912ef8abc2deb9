using System.Globalization;

namespace MemorySync.Model;

/// <summary>
/// Where a memory lives in Redis: the hash <c>{prefix}:m:{range}:{memory_id}</c>, with the memory's sweep range in three
/// hex digits. The range in the key lets a sweep's SCAN select one partition's keys by pattern, inside Redis, instead
/// of hashing every key of the keyspace.
/// </summary>
public static class RedisKeyScheme
{
    public static string MemoryKey(string prefix, string memoryId) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}:m:{SweepHash.RangeOf(memoryId):x3}:{memoryId}");

    /// <summary>What comes before the range in every memory key.</summary>
    public static string MemoryKeyStem(string prefix) => $"{prefix}:m:";

    /// <summary>
    /// A SCAN pattern matching at least every memory key of ranges [first, end) (whole leading hex digits; the sweep
    /// script drops the keys of other ranges by number).
    /// </summary>
    public static string PatternFor(string prefix, int first, int end)
    {
        var digits = Enumerable.Range(first >> 8, ((end - 1) >> 8) - (first >> 8) + 1).Select(digit => digit.ToString("x", CultureInfo.InvariantCulture));
        var leading = first == 0 && end == SweepHash.RangeCount ? "?" : $"[{string.Concat(digits)}]";
        return $"{MemoryKeyStem(prefix)}{leading}??:*";
    }
}
