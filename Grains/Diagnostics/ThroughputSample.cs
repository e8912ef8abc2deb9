namespace MemorySync.Diagnostics;

/// <summary>Writes per second in one 10-second bucket, and their mean PostgreSQL commit latency.</summary>
public sealed record ThroughputSample(DateTimeOffset At, double WritesPerSecond, double MeanLatencyMilliseconds);
