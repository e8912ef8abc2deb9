using System.Diagnostics;
using MemorySync.Configuration;
using MemorySync.Faiss;
using MemorySync.Stores;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Health;

/// <summary>Probes each store once: a round trip to Redis and PostgreSQL, and a real add-and-search through FAISS.</summary>
internal sealed class StoreHealthProbe(
    NpgsqlDataSource postgres, PostgresConnectionRecovery recovery, IConnectionMultiplexer redis, IOptions<FaissOptions> faissOptions)
{
    /// <summary>A probe slower than this reports Degraded rather than Healthy.</summary>
    public static readonly TimeSpan SlowThreshold = TimeSpan.FromMilliseconds(500);

    public async Task<IReadOnlyList<StoreHealth>> ProbeAllAsync(CancellationToken cancellationToken = default)
    {
        var probes = new[]
        {
            MeasureAsync("redis", ProbeRedisAsync),
            MeasureAsync("postgres", () => ProbePostgresAsync(cancellationToken)),
            MeasureAsync("faiss", () => Task.FromResult(ProbeFaiss())),
        };
        return await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private async Task<string> ProbeRedisAsync()
    {
        if (!redis.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected; reconnecting in the background");
        }

        var latency = await redis.GetDatabase().PingAsync().ConfigureAwait(false);
        return $"ping {latency.TotalMilliseconds:F1} ms";
    }

    private async Task<string> ProbePostgresAsync(CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand("SELECT current_setting('server_version')");
        var version = await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        return $"server {version}";
    }

    // A tiny exact index proves the native library loads and answers correctly; building the configured index type
    // proves the factory string is one this FAISS build understands.
    private string ProbeFaiss()
    {
        using (var probe = FaissIndex.Create(FaissIndex.DefaultFactory, FaissMetric.L2, 2))
        {
            probe.Add([0f, 0f, 10f, 10f], [7L, 8L]);
            var nearest = probe.Search([9f, 9f], 1).Labels[0];
            if (nearest != 8L)
            {
                throw new FaissException($"probe search returned id {nearest}, expected 8");
            }
        }

        var options = faissOptions.Value;
        using var configured = FaissIndex.Create(options.Factory, options.Metric, options.Dimension);
        return $"binding loaded; index {options.Factory}, {options.Metric}, dimension {options.Dimension}";
    }

    private static async Task<StoreHealth> MeasureAsync(string store, Func<Task<string>> probe)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var detail = await probe().ConfigureAwait(false);
            var elapsed = stopwatch.Elapsed;
            var state = elapsed > SlowThreshold ? StoreState.Degraded : StoreState.Healthy;
            return new StoreHealth(store, state, elapsed.TotalMilliseconds, detail);
        }
        catch (Exception exception) when (exception is RedisException or NpgsqlException or FaissException
                                              or TimeoutException or DllNotFoundException or EntryPointNotFoundException
                                              or InvalidOperationException)
        {
            return new StoreHealth(store, StoreState.Unhealthy, stopwatch.Elapsed.TotalMilliseconds, exception.Message);
        }
    }
}
