namespace MemorySync;

/// <summary>The outcome of one health probe of one store.</summary>
/// <param name="Store">The store's name: <c>redis</c>, <c>postgres</c> or <c>faiss</c>.</param>
/// <param name="State">Whether the store answered, and how well.</param>
/// <param name="LatencyMilliseconds">How long the probe took.</param>
/// <param name="Detail">What the probe saw: a server version, or the error that made it fail.</param>
/// <param name="ConsecutiveFailures">Failed probes in a row, up to now.</param>
/// <param name="SuccessRate">Share of successful probes in the monitor's window (0 to 1).</param>
/// <param name="LatencyP50Milliseconds">Median probe latency over the window.</param>
/// <param name="LatencyP99Milliseconds">99th-percentile probe latency over the window.</param>
/// <param name="Reconnects">How many times the store came back after failing, since the silo started.</param>
/// <param name="Pool">The store's connections by state (in_use, idle, max), on this silo.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.StoreHealth")]
public sealed record StoreHealth(
    [property: Id(0)] string Store,
    [property: Id(1)] StoreState State,
    [property: Id(2)] double LatencyMilliseconds,
    [property: Id(3)] string Detail,
    [property: Id(4)] int ConsecutiveFailures = 0,
    [property: Id(5)] double SuccessRate = 1,
    [property: Id(6)] double LatencyP50Milliseconds = 0,
    [property: Id(7)] double LatencyP99Milliseconds = 0,
    [property: Id(8)] int Reconnects = 0,
    [property: Id(9)] IReadOnlyDictionary<string, long>? Pool = null);
