using MemorySync.Diagnostics;
using MemorySync.Health;
using MemorySync.Stats;
using MemorySync.Stores;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.Silo.Status;

/// <summary>
/// What /health, /v1/admin/health and /status.json show, each read from the stores at most once per
/// <c>Status:CacheSeconds</c>: these pages answer anyone who asks (/health without a key), so their cost must not grow
/// with the number of requests. Every read is counted (memorysync_status_reads_total).
/// </summary>
internal sealed class StatusReadings
{
    private readonly CachedReading<HealthReport> _health;
    private readonly CachedReading<StatusDocument> _status;
    private readonly MemorySyncMetrics _metrics;

    public StatusReadings(StoreHealthMonitor monitor, ILocalSiloDetails silo, NpgsqlDataSource postgres, PostgresConnectionRecovery recovery, IGrainFactory grains,
        MemorySyncMetrics metrics, IOptions<StatusOptions> options, TimeProvider time)
    {
        _metrics = metrics;
        var window = TimeSpan.FromSeconds(options.Value.CacheSeconds);
        // The shared reads are not cancelled with the request that happened to start them: others wait for them too.
        _health = new CachedReading<HealthReport>(() =>
        {
            metrics.RecordStatusRead("health");
            return monitor.ReportAsync(silo.SiloAddress.ToString(), CancellationToken.None);
        }, window, time);
        _status = new CachedReading<StatusDocument>(() =>
        {
            metrics.RecordStatusRead("status");
            return ReadStatusAsync(postgres, recovery, grains);
        }, window, time);
    }

    public Task<HealthReport> HealthAsync() => _health.GetAsync();

    /// <summary>The status page's document: the cached health and statistics, with this silo's live write rate.</summary>
    public async Task<StatusDocument> StatusAsync()
    {
        var health = await _health.GetAsync();
        var status = await _status.GetAsync();
        return status with { Health = health, Throughput = _metrics.RecentWrites() };
    }

    private static async Task<StatusDocument> ReadStatusAsync(NpgsqlDataSource postgres, PostgresConnectionRecovery recovery, IGrainFactory grains)
    {
        SyncStatistics? statistics = null;
        try
        {
            statistics = await SyncStatisticsReader.ReadAsync(postgres, recovery);
        }
        catch (NpgsqlException)
        {
            // PostgreSQL down: the page shows the stores' health without the statistics.
        }

        var stats = grains.GetGrain<IStatsGrain>(0);
        var silos = await OrNullAsync(stats.GetSilosAsync());
        var sweeps = await OrNullAsync(stats.GetSweepsAsync());
        return new StatusDocument(null, statistics, [], silos, sweeps);
    }

    // The page must render even when part of the cluster cannot answer (a partition's storage down, a silo dying).
    private static async Task<T?> OrNullAsync<T>(Task<T> call) where T : class
    {
        try
        {
            return await call.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or NpgsqlException)
        {
            return null;
        }
    }
}
