using MemorySync.Client;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The silos' memory as the index grows: resident bytes after a full garbage collection on each silo, next to the
/// number of vectors indexed, so the cost of one more stored memory is the slope between two readings.
/// </summary>
internal sealed class SiloMemoryProbe(MemorySyncClient client)
{
    public async Task<SiloMemoryReading> ReadAsync()
    {
        var memory = await client.Operations.GetSiloMemoryAsync(collectGarbageFirst: true);
        var indexed = (await client.Operations.GetIndexInfoAsync()).Sum(shard => shard.Vectors);
        var silos = await client.Operations.GetSilosAsync();
        return new SiloMemoryReading(indexed, silos.Sum(silo => silo.Hosts.GetValueOrDefault("memory")),
            memory.Values.Sum(silo => silo.WorkingSetBytes), memory.Values.Sum(silo => silo.ManagedHeapBytes),
            memory.Values.Select(silo => silo.PeakWorkingSetBytes).DefaultIfEmpty().Max());
    }

    /// <summary>
    /// Deactivates memory grains idle for a second (the index shards keep theirs), and waits until the silos report
    /// them gone: afterwards a reading holds what storing the memories costs, not what active grains cost.
    /// </summary>
    public async Task CollectIdleMemoryGrainsAsync(CancellationToken cancellationToken)
    {
        await client.Operations.CollectIdleActivationsAsync(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await client.Operations.GetSilosAsync()).Sum(silo => silo.Hosts.GetValueOrDefault("memory")) > 100)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}

/// <summary>One reading: vectors indexed, memory grains active, resident and managed bytes (summed over silos), and
/// the highest peak of any silo.</summary>
internal sealed record SiloMemoryReading(long Indexed, int ActiveMemoryGrains, long ResidentBytes, long ManagedBytes, long PeakResidentBytes);

/// <summary>
/// What the silo memory rows report: the highest peak of any silo, and the bytes one more stored memory costs beyond
/// its vector, measured between the first and the last reading (with memory grains active, and after idle ones were
/// collected). Null when the run indexed too few new memories to measure a slope.
/// </summary>
internal sealed record SiloMemoryReport(
    long PeakResidentBytes,
    long IndexedMemories,
    long MeasuredOverMemories,
    int VectorBytesPerMemory,
    double? BytesPerMemoryBeyondVectorWithGrainsActive,
    double? BytesPerMemoryBeyondVector);
