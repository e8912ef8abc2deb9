using MemorySync.Model;

namespace MemorySync.Configuration;

/// <summary>How consistency sweeps run (section <c>Consistency</c>).</summary>
public sealed class ConsistencyOptions
{
    public const string SectionName = "Consistency";

    /// <summary>Partitions of memory ids, one ConsistencyGrain each; each sweeps a contiguous block of the 4,096 ranges.</summary>
    public int Partitions { get; set; } = 16;

    /// <summary>How often each partition's reminder starts a sweep.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on the memories one partition's sweep looks at per second, so sweeps never crowd out live traffic.</summary>
    public int MaxMemoriesPerSecond { get; set; } = 2_000;

    /// <summary>Keys Redis visits per SCAN step of a sweep (one short script call each).</summary>
    public int ScanBatchSize { get; set; } = 1_000;

    /// <summary>Differing ranges compared record by record per step of the detail phase (the checkpoint interval).</summary>
    public int RangesPerStep { get; set; } = 4;

    /// <summary>Whether reminder-driven sweeps repair what they find (otherwise they only count and log it).</summary>
    public bool RepairAutomatically { get; set; } = true;

    /// <summary>
    /// The longest pause of reminder sweeps an operator may ask for (memsync bench asks for one hour and resumes them
    /// when it is done), so that no caller can switch the sweeps off for good.
    /// </summary>
    public TimeSpan MaxReminderPause { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The ranges [first, end) partition <paramref name="partition"/> sweeps.</summary>
    public (int First, int End) RangesOf(int partition) =>
        (partition * SweepHash.RangeCount / Partitions, (partition + 1) * SweepHash.RangeCount / Partitions);

    /// <summary>The partition that sweeps a memory.</summary>
    public int PartitionOf(string memoryId) => SweepHash.RangeOf(memoryId) * Partitions / SweepHash.RangeCount;
}
