namespace MemorySync;

/// <summary>One search result: the memory, how close it is (inner product: higher is closer) and its content.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.SearchHit")]
public sealed record SearchHit(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] double Score,
    [property: Id(2)] string Content);
