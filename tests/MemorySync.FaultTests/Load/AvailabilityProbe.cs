using System.Diagnostics;

namespace MemorySync.FaultTests.Load;

/// <summary>
/// From the moment a fault starts, writes every memory of the workload again and again until each write is
/// acknowledged: how long each memory stayed unwritable, as a user who kept trying would see it. A memory whose silo
/// died counts until the cluster has moved it; one the fault never touched, the length of one write.
/// </summary>
internal sealed class AvailabilityProbe
{
    // Short, so the probe's resolution is a tenth of a second, and long enough that forty memories retrying at once
    // leave the two cores to the cluster.
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(100);

    private AvailabilityProbe(Task<Unavailability> completion) => Completion = completion;

    /// <summary>Every memory's time to its first acknowledged write; a memory never written by the deadline counts the deadline.</summary>
    public Task<Unavailability> Completion { get; }

    public static AvailabilityProbe Start(Workload workload, TimeSpan deadline)
    {
        var sinceFault = Stopwatch.StartNew();
        var memories = workload.MemoryIds.Select(id => Task.Run(() => UntilWrittenAsync(workload, id, sinceFault, deadline)));
        return new AvailabilityProbe(CollectAsync(memories));
    }

    private static async Task<Unavailability> CollectAsync(IEnumerable<Task<TimeSpan>> memories) => new([.. await Task.WhenAll(memories)]);

    private static async Task<TimeSpan> UntilWrittenAsync(Workload workload, string memoryId, Stopwatch sinceFault, TimeSpan deadline)
    {
        while (sinceFault.Elapsed < deadline)
        {
            if (await workload.ProbeWriteAsync(memoryId))
            {
                return sinceFault.Elapsed;
            }

            await Task.Delay(PauseAfterFailure);
        }

        return deadline;
    }
}

/// <summary>How long each memory stayed unwritable after a fault started, and the percentiles of the table.</summary>
internal sealed record Unavailability(IReadOnlyList<TimeSpan> PerMemory)
{
    public TimeSpan P50 => Percentile(0.50);

    public TimeSpan P99 => Percentile(0.99);

    // Nearest rank: the smallest time that at least this share of the memories stayed within.
    private TimeSpan Percentile(double share)
    {
        if (PerMemory.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = PerMemory.Order().ToList();
        return sorted[(int)Math.Ceiling(share * sorted.Count) - 1];
    }
}
