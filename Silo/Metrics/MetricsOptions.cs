namespace MemorySync.Silo.Metrics;

/// <summary>Who may read /metrics besides an admin key (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// A secret that a scraper (Prometheus) presents as <c>Authorization: Bearer &lt;token&gt;</c> to read /metrics and
    /// nothing else. Empty: only admin keys may read it.
    /// </summary>
    public string ScrapeToken { get; set; } = string.Empty;
}
