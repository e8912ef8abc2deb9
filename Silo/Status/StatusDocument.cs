using MemorySync.Diagnostics;

namespace MemorySync.Silo.Status;

/// <summary>/status.json: the stores' health, the database's statistics, recent writes, the silos and the sweeps.</summary>
internal sealed record StatusDocument(
    HealthReport? Health,
    SyncStatistics? Statistics,
    IReadOnlyList<ThroughputSample> Throughput,
    IReadOnlyList<SiloInfo>? Silos,
    IReadOnlyList<SweepStatus>? Sweeps);
