namespace MemorySync;

/// <summary>The outbox at a glance: what the secondary stores still owe, and what was given up on.</summary>
/// <param name="Pending">Rows waiting for Redis or FAISS.</param>
/// <param name="Dead">Rows dead-lettered after too many failed attempts.</param>
/// <param name="OldestPendingSeconds">Age of the oldest pending row (0 when none).</param>
[GenerateSerializer, Immutable, Alias("MemorySync.OutboxStatus")]
public sealed record OutboxStatus(
    [property: Id(0)] long Pending,
    [property: Id(1)] long Dead,
    [property: Id(2)] double OldestPendingSeconds);
