using MemorySync.Health;
using MemorySync.Silo.Metrics;
using MemorySync.Silo.Status;
using Orleans.Dashboard;

namespace MemorySync.Silo;

public static class MemorySyncEndpointRouteBuilderExtensions
{
    /// <summary>/health (JSON), /metrics (Prometheus text), /status (a page) and /dashboard (the Orleans dashboard).</summary>
    public static WebApplication MapMemorySyncEndpoints(this WebApplication app)
    {
        app.MapGet("/health", async (StoreHealthMonitor monitor, ILocalSiloDetails silo, CancellationToken cancellationToken) =>
        {
            var report = await monitor.ReportAsync(silo.SiloAddress.ToString(), cancellationToken);
            var status = report.Overall == StoreState.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return Results.Text(MemorySyncJson.Serialize(report), "application/json", statusCode: status);
        });
        app.MapGet("/metrics", (PrometheusExposition exposition) =>
            Results.Text(exposition.Write(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapStatus();
        app.MapGet("/", () => Results.Redirect("/status"));
        return app;
    }
}
