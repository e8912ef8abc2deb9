namespace MemorySync.Configuration;

/// <summary>How the health monitor judges each store (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Time between probes of every store.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed probes in a row after which a store is Degraded.</summary>
    public int DegradedAfterFailures { get; set; } = 1;

    /// <summary>Failed probes in a row after which a store is Unhealthy.</summary>
    public int UnhealthyAfterFailures { get; set; } = 3;

    /// <summary>How many recent probes the success rate and latency percentiles are taken over.</summary>
    public int Window { get; set; } = 60;
}
