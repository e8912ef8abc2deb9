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
        var ids = workload.MemoryIds.ToList();
        var memories = ids.Select(id => Task.Run(() => UntilWrittenAsync(workload, id, sinceFault, deadline)));
        return new AvailabilityProbe(CollectAsync(ids, memories, deadline));
    }

    private static async Task<Unavailability> CollectAsync(IReadOnlyList<string> ids, IEnumerable<Task<TimeSpan>> memories, TimeSpan deadline)
    {
        var times = await Task.WhenAll(memories);
        return new Unavailability([.. times]) { NeverWritten = [.. ids.Where((_, i) => times[i] >= deadline)] };
    }

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
    /// <summary>The memories no write reached before the deadline.</summary>
    public IReadOnlyList<string> NeverWritten { get; init; } = [];

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
