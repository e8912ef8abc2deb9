using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MemorySync.Client;

/// <summary>
/// The typed facade agent hosts use: connects to the cluster through Redis membership and exposes MemorySync's
/// operations without Orleans types. Thread-safe; create one per process and dispose it at shutdown.
/// </summary>
public sealed class MemorySyncClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IClusterClient _cluster;

    private MemorySyncClient(IHost host)
    {
        _host = host;
        _cluster = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Connects to the cluster, or throws <see cref="ClusterUnreachableException"/> saying where it looked.</summary>
    public static async Task<MemorySyncClient> ConnectAsync(MemorySyncClientOptions options, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.RedisConnectionString));
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrleansException or RedisException or OperationCanceledException or TimeoutException)
        {
            host.Dispose();
            var where = string.Join(", ", ConfigurationOptions.Parse(options.RedisConnectionString).EndPoints.Select(endpoint => endpoint.ToString()));
            throw new ClusterUnreachableException(
                $"no MemorySync silo answered (membership in Redis at {where}, cluster {options.ClusterId}, service {options.ServiceId}): {exception.Message}",
                exception);
        }

        return new MemorySyncClient(host);
    }

    /// <summary>Probes Redis, PostgreSQL and FAISS from the silo this client reached.</summary>
    public Task<HealthReport> CheckHealthAsync() => _cluster.GetGrain<IHealthGrain>(0).CheckAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
