using MemorySync.Silo.Access;
using MemorySync.Silo.Metrics;
using MemorySync.Silo.Status;
using Orleans.Dashboard;

namespace MemorySync.Silo;

public static class MemorySyncEndpointRouteBuilderExtensions
{
    /// <summary>
    /// /health (JSON; details for a key), /metrics (Prometheus text; an admin key or the scrape token), /status (a page)
    /// and /dashboard (the Orleans dashboard), both for admin keys.
    /// </summary>
    public static WebApplication MapMemorySyncEndpoints(this WebApplication app)
    {
        app.MapHealth();
        app.MapGet("/metrics", (PrometheusExposition exposition) =>
            Results.Text(exposition.Write(), "text/plain; version=0.0.4; charset=utf-8")).RequireAuthorization(ApiPolicies.Metrics);
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(ApiPolicies.Admin);
        app.MapStatus();
        app.MapGet("/", () => Results.Redirect("/status"));
        return app;
    }
}
