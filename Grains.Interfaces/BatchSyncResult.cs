namespace MemorySync;

/// <summary>The outcome of a batch sync: how many memories were stored, and why each of the others was not.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.BatchSyncResult")]
public sealed record BatchSyncResult(
    [property: Id(0)] int Synced,
    [property: Id(1)] int Failed,
    [property: Id(2)] IReadOnlyList<BatchSyncError> Errors);

/// <summary>Why one memory of a batch was not stored.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.BatchSyncError")]
public sealed record BatchSyncError(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] string Error);
