namespace MemorySync;

/// <summary>How far each store has caught up: the memory version each one holds (0: none yet).</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.StoreVersions")]
public sealed record StoreVersions(
    [property: Id(0)] long Redis,
    [property: Id(1)] long Postgres,
    [property: Id(2)] long Faiss)
{
    public static StoreVersions None { get; } = new(0, 0, 0);
}
