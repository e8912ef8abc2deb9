namespace MemorySync;

/// <summary>A vector to index under a memory's stable FAISS label, with what searches filter on.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.IndexEntry")]
public sealed record IndexEntry(
    [property: Id(0)] long Label,
    [property: Id(1)] string MemoryId,
    [property: Id(2)] string AgentId,
    [property: Id(3)] string MemoryType,
    [property: Id(4)] long Version,
    [property: Id(5)] float[] Vector);

/// <summary>A search match inside one shard.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.IndexMatch")]
public sealed record IndexMatch(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] long Label,
    [property: Id(2)] double Score);

/// <summary>What the FAISS index itself holds under one label (diagnostics and consistency checks).</summary>
/// <param name="Occurrences">How many stored vectors carry the label; more than one would be a duplicate.</param>
/// <param name="Vector">The stored vector, when present.</param>
/// <param name="Version">The memory version the shard last indexed under this label.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.IndexEntryProbe")]
public sealed record IndexEntryProbe(
    [property: Id(0)] int Occurrences,
    [property: Id(1)] float[]? Vector,
    [property: Id(2)] long Version);
