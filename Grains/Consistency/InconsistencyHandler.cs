using MemorySync.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MemorySync.Consistency;

/// <summary>
/// What a partition does with the inconsistencies its checks find, sweeps and on-demand checks alike: each is logged and
/// counted, and repaired through the memory's own grain, so a repair never interleaves with a write of that memory.
/// </summary>
internal sealed class InconsistencyHandler(IGrainFactory grains, MemorySyncMetrics metrics, ILogger logger)
{
    public void Report(Dictionary<string, List<string>> found)
    {
        foreach (var (memoryId, stores) in found)
        {
            ConsistencyLog.Inconsistent(logger, memoryId, string.Join(", ", stores));
            stores.ForEach(metrics.RecordConsistencyError);
        }
    }

    /// <summary>Repairs each memory in the stores named for it; returns, by memory, whether its repair succeeded.</summary>
    public async Task<Dictionary<string, bool>> RepairAllAsync(IEnumerable<(string MemoryId, IReadOnlyList<string> Stores)> inconsistencies,
        CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, bool>(StringComparer.Ordinal);
        // A few repairs at a time: each is a grain call with a PostgreSQL read and store writes of its own.
        foreach (var batch in inconsistencies.Chunk(16))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcomes = await Task.WhenAll(batch.Select(async item =>
                (item.MemoryId, Ok: await grains.GetGrain<IMemoryGrain>(item.MemoryId).RepairAsync(item.Stores))));
            foreach (var (memoryId, ok) in outcomes)
            {
                results[memoryId] = ok;
            }
        }

        return results;
    }
}
