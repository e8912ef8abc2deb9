namespace MemorySync;

/// <summary>After a catch-up: the memory's version, the stores that hold it, and why any other does not.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.ReplicationResult")]
public sealed record ReplicationResult(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<string> InSync,
    [property: Id(2)] string? Error);
