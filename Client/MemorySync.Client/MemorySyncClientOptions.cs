namespace MemorySync.Client;

/// <summary>
/// How an agent host finds the cluster: the Redis that holds the membership table and the cluster's identity.
/// Bound from the <c>Client</c> section; environment variables use the <c>MEMSYNC_</c> prefix
/// (<c>MEMSYNC_Redis__ConnectionString</c> and <c>MEMSYNC_Cluster__ClusterId</c> are shared with the silo).
/// </summary>
public sealed class MemorySyncClientOptions
{
    /// <summary>The Redis of the cluster's membership table; defaults to the local stack's.</summary>
    public string RedisConnectionString { get; set; } = ClusterDefaults.RedisConnectionString;

    /// <summary>The cluster to join; must match the silos' <c>Cluster:ClusterId</c>.</summary>
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>The service to join; must match the silos' <c>Cluster:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    /// <summary>How long to keep trying to reach a gateway before giving up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the shared settings from configuration (environment variables included), keeping defaults for the rest.</summary>
    public static MemorySyncClientOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new MemorySyncClientOptions();
        options.RedisConnectionString = configuration["Redis:ConnectionString"] is { Length: > 0 } redis ? redis : options.RedisConnectionString;
        options.ClusterId = configuration["Cluster:ClusterId"] is { Length: > 0 } clusterId ? clusterId : options.ClusterId;
        options.ServiceId = configuration["Cluster:ServiceId"] is { Length: > 0 } serviceId ? serviceId : options.ServiceId;
        return options;
    }
}
