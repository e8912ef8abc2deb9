namespace MemorySync;

/// <summary>One version of a memory, from PostgreSQL's history (tombstones included).</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.MemoryHistoryEntry")]
public sealed record MemoryHistoryEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] string Content,
    [property: Id(2)] string MemoryType,
    [property: Id(3)] double Importance,
    [property: Id(4)] string MetadataJson,
    [property: Id(5)] string Checksum,
    [property: Id(6)] bool Deleted,
    [property: Id(7)] string? WriterId,
    [property: Id(8)] DateTimeOffset CreatedAt);
