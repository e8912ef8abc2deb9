namespace MemorySync.Operations;

/// <summary>
/// The seed's check_consistency() and repair_inconsistencies() over every partition: one way to run them, for the
/// client facade and for the silo's /v1/admin routes alike.
/// </summary>
public static class ConsistencyRuns
{
    private const int RepairChunk = 500;

    /// <summary>
    /// Compares every memory across PostgreSQL, Redis and FAISS now (partition by partition, reporting each one done to
    /// <paramref name="progress"/>) and returns, per memory that differs, the stores that do.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckAsync(IGrainFactory grains, IProgress<int>? progress = null)
    {
        var layout = await grains.GetGrain<IStatsGrain>(0).GetLayoutAsync().ConfigureAwait(false);
        var found = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var done = 0;
        // Two partitions at a time: each check already keeps a silo and the stores busy.
        foreach (var pair in Enumerable.Range(0, layout.ConsistencyPartitions).Chunk(2))
        {
            var results = await Task.WhenAll(pair.Select(partition => grains.GetGrain<IConsistencyGrain>(partition).CheckAsync())).ConfigureAwait(false);
            foreach (var (memoryId, stores) in results.SelectMany(result => result))
            {
                found[memoryId] = stores;
            }

            done += pair.Length;
            progress?.Report(done);
        }

        return found;
    }

    /// <summary>
    /// Makes each listed store of each listed memory hold what PostgreSQL holds; returns per memory whether it worked.
    /// An unknown store or an invalid id refuses the whole request, repairing nothing.
    /// </summary>
    /// <exception cref="MemoryValidationException">The request names something that is not a memory id or a repairable store.</exception>
    public static async Task<IReadOnlyDictionary<string, bool>> RepairAsync(IGrainFactory grains,
        IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inconsistencies);
        // Refuse a bad request before any chunk is repaired, not half-way through (the silo checks each chunk again).
        Validate(inconsistencies);
        var layout = await grains.GetGrain<IStatsGrain>(0).GetLayoutAsync().ConfigureAwait(false);
        var chunks = inconsistencies.Chunk(RepairChunk).ToList();
        var results = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        var done = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i].ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            var repaired = await grains.GetGrain<IConsistencyGrain>(i % layout.ConsistencyPartitions).RepairAsync(chunk).ConfigureAwait(false);
            foreach (var (memoryId, ok) in repaired)
            {
                results[memoryId] = ok;
            }

            done += chunk.Count;
            progress?.Report(done);
        }

        return results;
    }

    private static void Validate(IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies)
    {
        foreach (var (memoryId, stores) in inconsistencies)
        {
            if (string.IsNullOrEmpty(memoryId) || memoryId.Length > 512 ||
                !memoryId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                throw new MemoryValidationException("memory_id", $"'{memoryId}' is not a memory id (1-512 characters of A-Z a-z 0-9 . _ : -)");
            }

            if (stores is null || stores.Count == 0)
            {
                throw new MemoryValidationException("stores", $"memory {memoryId} lists no store to repair");
            }

            var unknown = stores.FirstOrDefault(store => store is not ("redis" or "faiss"));
            if (unknown is not null)
            {
                throw new MemoryValidationException("stores",
                    $"\"{unknown}\" (memory {memoryId}) is not a store a repair can fix; use redis or faiss (PostgreSQL is the source of truth)");
            }
        }
    }
}
