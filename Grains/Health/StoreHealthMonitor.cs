using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.Health;

/// <summary>
/// Probes every store on an interval and judges it from its recent history: Degraded after
/// <see cref="HealthOptions.DegradedAfterFailures"/> failures in a row, Unhealthy after
/// <see cref="HealthOptions.UnhealthyAfterFailures"/>, Healthy again at the first success (the connections reconnect
/// by themselves, so a store that comes back is used again without a restart). A store seen healthy after failing, or
/// for the first time since the silo started, is reported to <see cref="StoreRecoveries"/>, so its dead letters are retried.
/// </summary>
internal sealed class StoreHealthMonitor(StoreHealthProbe probe, IOutboxStore outboxStore, MemorySyncMetrics metrics, ConnectionPoolUsage pools,
    StoreRecoveries recoveries, IOptions<HealthOptions> options)
    : BackgroundService
{
    private static readonly string[] Stores = ["redis", "postgres", "faiss"];

    private readonly Dictionary<string, StoreTracker> _trackers =
        Stores.ToDictionary(store => store, store => new StoreTracker(store, options.Value), StringComparer.Ordinal);

    /// <summary>Each store's judged state (probing once first if the monitor has not yet), plus the outbox.</summary>
    public async Task<HealthReport> ReportAsync(string silo, CancellationToken cancellationToken = default)
    {
        if (_trackers.Values.Any(tracker => !tracker.HasSamples))
        {
            await SampleAsync(cancellationToken).ConfigureAwait(false);
        }

        var stores = Stores.Select(store => WithPool(_trackers[store].Snapshot())).ToList();
        OutboxStatus? outbox = null;
        if (stores.Any(store => store.Store == "postgres" && store.State != StoreState.Unhealthy))
        {
            try
            {
                outbox = await outboxStore.StatusAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                // PostgreSQL answered the last probe but not now: report the stores without the outbox.
            }
        }

        return new HealthReport(silo, DateTimeOffset.UtcNow, stores, outbox);
    }

    private StoreHealth WithPool(StoreHealth health) => health.Store is "postgres" or "redis" ? health with { Pool = pools.Of(health.Store) } : health;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await SampleAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(options.Value.Interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        foreach (var sample in await probe.ProbeAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var tracker = _trackers[sample.Store];
            var wasFailing = !tracker.HasSamples || tracker.Snapshot().ConsecutiveFailures > 0;
            tracker.Record(sample);
            var now = tracker.Snapshot();
            metrics.RecordHealthCheck(sample.Store, sample.State != StoreState.Unhealthy, now.State);
            if (wasFailing && now.State == StoreState.Healthy)
            {
                recoveries.Recovered(sample.Store, DateTimeOffset.UtcNow);
            }
        }
    }
}
