using MemorySync.Diagnostics;
using MemorySync.Health;
using MemorySync.Stats;
using Npgsql;

namespace MemorySync.Silo.Status;

/// <summary>/status (a page of plain HTML, CSS and a little JavaScript, shipped inside the silo) over /status.json.</summary>
internal static class StatusEndpoints
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(StatusEndpoints).Assembly.GetManifestResourceStream("MemorySync.Silo.Status.status.html")
            ?? throw new InvalidOperationException("the status page is not embedded in the silo");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static void MapStatus(this WebApplication app)
    {
        app.MapGet("/status", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/status.json", async (StoreHealthMonitor monitor, MemorySyncMetrics metrics, NpgsqlDataSource postgres,
            ILocalSiloDetails silo, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var health = await monitor.ReportAsync(silo.SiloAddress.ToString(), cancellationToken);
            SyncStatistics? statistics = null;
            try
            {
                statistics = await SyncStatisticsReader.ReadAsync(postgres, cancellationToken);
            }
            catch (NpgsqlException)
            {
                // PostgreSQL down: the page shows the stores' health without the statistics.
            }

            var stats = grains.GetGrain<IStatsGrain>(0);
            var silos = await OrNullAsync(stats.GetSilosAsync());
            var sweeps = await OrNullAsync(stats.GetSweepsAsync());
            var document = new { health, statistics, throughput = metrics.RecentWrites(), silos, sweeps };
            return Results.Text(MemorySyncJson.Serialize(document), "application/json");
        });
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
