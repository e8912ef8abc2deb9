namespace MemorySync;

/// <summary>The outcome of one health probe of one store.</summary>
/// <param name="Store">The store's name: <c>redis</c>, <c>postgres</c> or <c>faiss</c>.</param>
/// <param name="State">Whether the store answered, and how well.</param>
/// <param name="LatencyMilliseconds">How long the probe took.</param>
/// <param name="Detail">What the probe saw: a server version, or the error that made it fail.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.StoreHealth")]
public sealed record StoreHealth(
    [property: Id(0)] string Store,
    [property: Id(1)] StoreState State,
    [property: Id(2)] double LatencyMilliseconds,
    [property: Id(3)] string Detail);
