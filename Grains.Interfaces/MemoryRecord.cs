namespace MemorySync;

/// <summary>A memory as stored, with its sync fields.</summary>
/// <param name="Checksum">SHA-256 (hex) of the canonical encoding of the content fields; see docs/checksum.md.</param>
/// <param name="VersionVector">Per writer, how many of this memory's versions it wrote.</param>
/// <param name="StoreVersions">The version each store holds.</param>
/// <param name="Deleted">True for a tombstone: the memory was deleted at this version.</param>
/// <param name="Conflicted">True while a Manual conflict on this memory waits for an operator (memsync conflicts).</param>
/// <param name="EmbeddingModel">The model that produced the vector, or "caller" when the writer supplied it.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.MemoryRecord")]
public sealed record MemoryRecord(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string Content,
    [property: Id(3)] string MemoryType,
    [property: Id(4)] double Importance,
    [property: Id(5)] string MetadataJson,
    [property: Id(6)] long Version,
    [property: Id(7)] string Checksum,
    [property: Id(8)] DateTimeOffset LastModified,
    [property: Id(9)] IReadOnlyDictionary<string, long> VersionVector,
    [property: Id(10)] StoreVersions StoreVersions,
    [property: Id(11)] bool Deleted,
    [property: Id(12)] string? EmbeddingModel,
    [property: Id(13)] int? EmbeddingDimension,
    [property: Id(14)] bool Conflicted = false);
