namespace MemorySync;

/// <summary>A partition's sweep: whether one is running and how far it got, and the last one that finished.</summary>
/// <param name="Phase">"idle", "digest" (comparing range digests) or "detail" (comparing records where they differ).</param>
/// <param name="RangesDone">Ranges of the partition compared so far in the running sweep.</param>
/// <param name="RangesDiffering">Ranges whose digests differed in the running sweep (known once its digest phase is over).</param>
/// <param name="Resumes">How many times the running sweep was resumed from its checkpoint after a crash.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] int Partition,
    [property: Id(1)] string Phase,
    [property: Id(2)] DateTimeOffset? StartedAt,
    [property: Id(3)] int RangesDone,
    [property: Id(4)] int RangeCount,
    [property: Id(5)] int Resumes,
    [property: Id(6)] SweepSummary? LastSweep,
    [property: Id(7)] int RangesDiffering);

/// <summary>What one finished sweep of a partition saw and did.</summary>
/// <param name="Examined">Memories whose digests were compared (PostgreSQL's count in the partition).</param>
/// <param name="RecordsRead">Memories read record by record, in ranges whose digests differed.</param>
/// <param name="ResumedAtRange">The range a crashed sweep resumed at (null when it ran through).</param>
[GenerateSerializer, Immutable, Alias("MemorySync.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] DateTimeOffset FinishedAt,
    [property: Id(2)] long Examined,
    [property: Id(3)] int RangesDiffering,
    [property: Id(4)] long RecordsRead,
    [property: Id(5)] int Inconsistent,
    [property: Id(6)] int Repaired,
    [property: Id(7)] int RepairFailed,
    [property: Id(8)] int Resumes,
    [property: Id(9)] int? ResumedAtRange);

/// <summary>One range's digest in one store: the XOR of its memories' fingerprints, and how many it holds.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.RangeDigest")]
public sealed record RangeDigest(
    [property: Id(0)] int Range,
    [property: Id(1)] int Digest,
    [property: Id(2)] int Count);

/// <summary>A memory as an index shard holds it: the label and the version it indexed.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.IndexedMemory")]
public sealed record IndexedMemory(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] long Label,
    [property: Id(2)] long Version);
