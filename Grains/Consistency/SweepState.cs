namespace MemorySync.Consistency;

/// <summary>
/// A partition's sweep as it is checkpointed in grain storage: enough to resume where a crashed sweep stopped, and the
/// summary of the last finished one.
/// </summary>
[GenerateSerializer, Alias("MemorySync.Consistency.SweepState")]
public sealed class SweepState
{
    public const string Idle = "idle";
    public const string Digest = "digest";
    public const string Detail = "detail";

    /// <summary>idle, digest (Redis SCAN pass) or detail (comparing records in the ranges that differ).</summary>
    [Id(0)] public string Phase { get; set; } = Idle;

    [Id(1)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>Where the Redis SCAN pass of the digest phase goes on from.</summary>
    [Id(2)] public long ScanCursor { get; set; }

    /// <summary>Redis's digests gathered so far by the digest phase.</summary>
    [Id(3)] public List<RangeDigest> RedisDigests { get; set; } = [];

    [Id(4)] public List<int> RedisDiffering { get; set; } = [];

    [Id(5)] public List<int> FaissDiffering { get; set; } = [];

    /// <summary>How many of the differing ranges (in ascending order) the detail phase has finished.</summary>
    [Id(6)] public int DetailIndex { get; set; }

    [Id(7)] public long Examined { get; set; }

    [Id(8)] public long RecordsRead { get; set; }

    [Id(9)] public int Inconsistent { get; set; }

    [Id(10)] public int Repaired { get; set; }

    [Id(11)] public int RepairFailed { get; set; }

    [Id(12)] public int Resumes { get; set; }

    [Id(13)] public int? ResumedAtRange { get; set; }

    [Id(14)] public SweepSummary? LastSweep { get; set; }

    /// <summary>Reminder ticks start no sweep before this time (an operator's pause).</summary>
    [Id(15)] public DateTimeOffset RemindersPausedUntil { get; set; }

    /// <summary>The differing ranges of either store, ascending: the detail phase's work list.</summary>
    public List<int> DifferingRanges() => RedisDiffering.Union(FaissDiffering).Order().ToList();
}
