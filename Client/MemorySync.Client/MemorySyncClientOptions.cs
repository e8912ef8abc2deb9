namespace MemorySync.Client;

/// <summary>
/// How an agent host finds the cluster: the Redis that holds the membership table and the cluster's identity.
/// Bound from the <c>Client</c> section; environment variables use the <c>MEMSYNC_</c> prefix
/// (<c>MEMSYNC_Cluster__ClusterId</c> is shared with the silo; <c>MEMSYNC_Client__RedisConnectionString</c>, when set,
/// is the client's own Redis login, else the silo's <c>MEMSYNC_Redis__ConnectionString</c> is used).
/// </summary>
public sealed class MemorySyncClientOptions
{
    /// <summary>
    /// The Redis of the cluster's membership table; defaults to the local stack's. The client only reads the table, so
    /// a Redis user allowed nothing else will do (the local stack's <c>memsync-client</c>).
    /// </summary>
    public string RedisConnectionString { get; set; } = ClusterDefaults.RedisConnectionString;

    /// <summary>The cluster to join; must match the silos' <c>Cluster:ClusterId</c>.</summary>
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>The service to join; must match the silos' <c>Cluster:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    /// <summary>
    /// This process's writer id in version vectors; defaults to the host name and process id. 1-64 characters from
    /// A-Z a-z 0-9 . _ : -.
    /// </summary>
    public string WriterId { get; set; } = DefaultWriterId();

    /// <summary>
    /// How often the client reads the gateway list (Orleans' <c>GatewayListRefreshPeriod</c>, 1 min by default there):
    /// how soon it sends calls to a silo that started or came back. <c>Client:GatewayListRefreshPeriod</c>.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep trying to reach a gateway before giving up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gateways (<c>host:port</c>) to try when Redis does not answer, so clients still connect while it is down;
    /// <c>Client:Gateways</c>, comma-separated (<c>MEMSYNC_Client__Gateways=10.0.0.5:30000,10.0.0.6:30000</c>).
    /// </summary>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>
    /// A file keeping the last gateway list read from Redis, tried (after <see cref="Gateways"/>) when Redis is down;
    /// none when null. <c>Client:GatewayCacheFile</c>; the CLI keeps one in the user's state folder.
    /// </summary>
    public string? GatewayCacheFile { get; set; }

    /// <summary>
    /// Mutual TLS to the gateways (on by default: silos refuse plaintext unless their own <c>Tls:Enabled</c> is false,
    /// for a deployment that ends TLS before them). Setting <c>Tls:Enabled</c>.
    /// </summary>
    public bool TlsEnabled { get; set; } = true;

    /// <summary>PEM certificate of the cluster's CA; a gateway must present a silo certificate it issued. Setting <c>Tls:CaCertificate</c>.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// PEM certificate this client presents; its Subject OU (agent or operator) decides which calls the cluster takes
    /// from it. Setting <c>Tls:ClientCertificate</c>; the local stack's env names the operator's.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>. Setting <c>Tls:ClientKey</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Reads the shared settings from configuration (environment variables included), keeping defaults for the rest.</summary>
    public static MemorySyncClientOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new MemorySyncClientOptions();
        options.RedisConnectionString = configuration["Client:RedisConnectionString"] is { Length: > 0 } own ? own
            : configuration["Redis:ConnectionString"] is { Length: > 0 } redis ? redis : options.RedisConnectionString;
        options.ClusterId = configuration["Cluster:ClusterId"] is { Length: > 0 } clusterId ? clusterId : options.ClusterId;
        options.ServiceId = configuration["Cluster:ServiceId"] is { Length: > 0 } serviceId ? serviceId : options.ServiceId;
        options.WriterId = configuration["Client:WriterId"] is { Length: > 0 } writerId ? writerId : options.WriterId;
        options.Gateways = configuration["Client:Gateways"] is { Length: > 0 } gateways
            ? [.. gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : options.Gateways;
        if (configuration["Client:GatewayListRefreshPeriod"] is { Length: > 0 } refresh)
        {
            options.GatewayListRefreshPeriod = TimeSpan.TryParse(refresh, System.Globalization.CultureInfo.InvariantCulture, out var period) ? period
                : throw new MemoryValidationException("Client:GatewayListRefreshPeriod", $"'{refresh}' is not a time span such as 00:00:10");
        }

        options.GatewayCacheFile = configuration["Client:GatewayCacheFile"] is { Length: > 0 } cacheFile ? cacheFile : options.GatewayCacheFile;
        options.TlsEnabled = !bool.TryParse(configuration["Tls:Enabled"], out var tls) || tls;
        options.CaCertificatePath = configuration["Tls:CaCertificate"] is { Length: > 0 } ca ? ca : null;
        options.CertificatePath = configuration["Tls:ClientCertificate"] is { Length: > 0 } certificate ? certificate : null;
        options.KeyPath = configuration["Tls:ClientKey"] is { Length: > 0 } key ? key : null;
        return options;
    }

    /// <summary>Refuses settings the client cannot work with, naming the setting.</summary>
    internal void Validate()
    {
        if (GatewayListRefreshPeriod < TimeSpan.FromMilliseconds(100) || GatewayListRefreshPeriod > TimeSpan.FromHours(1))
        {
            throw new MemoryValidationException("Client:GatewayListRefreshPeriod", $"must be between 100 ms and 1 h, not {GatewayListRefreshPeriod}");
        }
    }

    private static string DefaultWriterId()
    {
        var host = new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').Take(40).ToArray());
        return $"{(host.Length == 0 ? "host" : host)}-{Environment.ProcessId}";
    }
}
