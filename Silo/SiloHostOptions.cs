namespace MemorySync.Silo;

/// <summary>Where this silo listens and which cluster it joins (sections <c>Silo</c> and <c>Cluster</c>).</summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "Silo";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Port of /health, /metrics and /dashboard.</summary>
    public int HttpPort { get; set; } = 8580;

    /// <summary>Address the HTTP endpoints bind to (loopback by default; a container sets 0.0.0.0).</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>Address other silos and clients use to reach this silo.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen for silos and clients on every interface, not only the advertised address (containers).</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>Shortest reminder period accepted; consistency sweeps may run more often than Orleans' 1-minute default.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
