using MemorySync.Configuration;
using MemorySync.Model;
using Microsoft.Extensions.Options;

namespace MemorySync.Consistency;

/// <summary>
/// The two steps of every consistency check: compare one digest per range in each store, then compare records only in
/// the ranges whose digests differ. Holds no state, so sweeps (checkpointed) and on-demand checks share it.
/// </summary>
internal sealed class PartitionInspector(
    PostgresSweepSource postgres,
    RedisSweepSource redis,
    IGrainFactory grains,
    IOptions<FaissOptions> faissOptions,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<ConsistencyOptions> consistencyOptions)
{
    /// <summary>Redis's digests of ranges [first, end), in one SCAN pass (for callers that need no checkpoint).</summary>
    public async Task<Dictionary<int, RangeDigest>> RedisDigestsAsync(int first, int end)
    {
        var digests = new Dictionary<int, RangeDigest>();
        var cursor = 0L;
        do
        {
            var step = await redis.DigestStepAsync(cursor, first, end, consistencyOptions.Value.ScanBatchSize);
            Merge(digests, step.Digests);
            cursor = step.Cursor;
        }
        while (cursor != 0);

        return digests;
    }

    /// <summary>One SCAN step of Redis's digest pass, for sweeps that checkpoint between steps.</summary>
    public Task<DigestStep> RedisDigestStepAsync(long cursor, int first, int end) =>
        redis.DigestStepAsync(cursor, first, end, consistencyOptions.Value.ScanBatchSize);

    /// <summary>
    /// Compares Redis's digests (gathered by the caller) and the index shards' with what PostgreSQL expects, and returns
    /// the ranges that differ in each store, and how many memories PostgreSQL holds in [first, end).
    /// </summary>
    public async Task<DigestComparison> CompareAsync(int first, int end, IReadOnlyDictionary<int, RangeDigest> redisDigests)
    {
        var expected = await postgres.DigestAsync(first, end, faissOptions.Value.Dimension);
        var faissDigests = await FaissDigestsAsync(first, end);
        var redisDiffering = new List<int>();
        var faissDiffering = new List<int>();
        for (var range = first; range < end; range++)
        {
            var truth = expected.GetValueOrDefault(range);
            if (!Same(truth?.Redis, redisDigests.GetValueOrDefault(range)))
            {
                redisDiffering.Add(range);
            }

            if (!Same(truth?.Faiss, faissDigests.GetValueOrDefault(range)))
            {
                faissDiffering.Add(range);
            }
        }

        return new DigestComparison(redisDiffering, faissDiffering, expected.Values.Sum(digest => digest.Rows));
    }

    /// <summary>The ids Redis holds in the given ranges, by range, in one SCAN pass (a sweep lists all its differing ranges at once).</summary>
    public async Task<ILookup<int, string>> ListRedisIdsAsync(IReadOnlyCollection<int> ranges) =>
        (await redis.ListAsync(ranges, consistencyOptions.Value.ScanBatchSize)).ToLookup(SweepHash.RangeOf);

    /// <summary>
    /// Compares record by record in the given ranges; returns the memories that differ and how many records were read.
    /// <paramref name="redisIds"/> are the ids Redis holds in (at least) <paramref name="redisRanges"/>, from <see cref="ListRedisIdsAsync"/>.
    /// </summary>
    public async Task<(Dictionary<string, List<string>> Found, int RecordsRead)> InspectAsync(IReadOnlyCollection<int> redisRanges,
        IReadOnlyCollection<int> faissRanges, ILookup<int, string> redisIds)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var allRanges = redisRanges.Union(faissRanges).ToList();
        if (allRanges.Count == 0)
        {
            return (found, 0);
        }

        var truth = await postgres.ReadRangesAsync(allRanges, faissOptions.Value.Dimension);
        var redisRangeSet = redisRanges.ToHashSet();
        var faissRangeSet = faissRanges.ToHashSet();

        // Each candidate's range, known from where it was found (PostgreSQL's column, Redis's key), hashed only for index entries.
        var rangeOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var range in redisRanges)
        {
            foreach (var id in redisIds[range])
            {
                rangeOf[id] = range;
            }
        }

        foreach (var row in truth.Values)
        {
            rangeOf[row.MemoryId] = row.Range;
        }

        var redisCandidates = rangeOf.Where(pair => redisRangeSet.Contains(pair.Value)).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        var redisCopies = await redis.ReadAsync(redisCandidates);

        var faissEntries = (await ListIndexAsync(faissRanges)).ToLookup(entry => entry.MemoryId, StringComparer.Ordinal);
        foreach (var group in faissEntries.Where(group => !rangeOf.ContainsKey(group.Key)))
        {
            rangeOf[group.Key] = SweepHash.RangeOf(group.Key);
        }

        var candidates = new HashSet<string>(redisCandidates, StringComparer.Ordinal);
        candidates.UnionWith(faissEntries.Select(group => group.Key));
        candidates.UnionWith(truth.Values.Where(row => faissRangeSet.Contains(row.Range)).Select(row => row.MemoryId));
        foreach (var id in candidates)
        {
            var range = rangeOf[id];
            var stores = InconsistencyClassifier.Classify(truth.GetValueOrDefault(id), redisCopies.GetValueOrDefault(id), faissEntries[id].ToList(),
                redisRangeSet.Contains(range), faissRangeSet.Contains(range));
            if (stores.Count > 0)
            {
                found[id] = stores;
            }
        }

        return (found, truth.Count + redisCopies.Count);
    }

    private async Task<Dictionary<int, RangeDigest>> FaissDigestsAsync(int first, int end)
    {
        var perShard = await Task.WhenAll(Shards().Select(shard => shard.DigestAsync(first, end)));
        var digests = new Dictionary<int, RangeDigest>();
        foreach (var shardDigests in perShard)
        {
            Merge(digests, shardDigests);
        }

        return digests;
    }

    private async Task<IEnumerable<IndexedMemory>> ListIndexAsync(IReadOnlyCollection<int> ranges)
    {
        if (ranges.Count == 0)
        {
            return [];
        }

        var list = ranges.ToList();
        var perShard = await Task.WhenAll(Shards().Select(shard => shard.ListAsync(list)));
        return perShard.SelectMany(entries => entries);
    }

    private IEnumerable<IIndexGrain> Shards() =>
        Enumerable.Range(0, memoryOptions.Value.IndexShards).Select(shard => grains.GetGrain<IIndexGrain>(shard));

    /// <summary>Folds partial digests of the same ranges together (XOR is order-free, so steps and shards combine).</summary>
    public static void Merge(Dictionary<int, RangeDigest> into, IEnumerable<RangeDigest> digests)
    {
        foreach (var digest in digests)
        {
            into[digest.Range] = into.TryGetValue(digest.Range, out var existing)
                ? new RangeDigest(digest.Range, existing.Digest ^ digest.Digest, existing.Count + digest.Count)
                : digest;
        }
    }

    // An empty range has no row on either side: treat "absent" as digest 0 with no members.
    private static bool Same(RangeDigest? expected, RangeDigest? actual) =>
        (expected?.Digest ?? 0) == (actual?.Digest ?? 0) && (expected?.Count ?? 0) == (actual?.Count ?? 0);
}

/// <summary>The ranges whose digests differ, per store, and how many memories PostgreSQL holds in the compared ranges.</summary>
internal sealed record DigestComparison(IReadOnlyList<int> RedisDiffering, IReadOnlyList<int> FaissDiffering, long Examined);
