using MemorySync.Keys;
using MemorySync.Silo.Access;

namespace MemorySync.Silo.Status;

/// <summary>
/// /health: its status code (503 when unhealthy) and, for anyone, only the overall state; a valid key (read, write or
/// admin) sees the full report: each store, its pool and the outbox.
/// </summary>
internal static class HealthEndpoint
{
    public static void MapHealth(this WebApplication app) =>
        app.MapGet("/health", async (HttpContext context, StatusReadings readings) =>
        {
            var report = await readings.HealthAsync();
            var status = report.Overall == StoreState.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            var body = ApiCaller.TryFrom(context.User)?.Allows(ApiScope.Read) == true
                ? MemorySyncJson.Serialize(report)
                : MemorySyncJson.Serialize(new { status = report.Overall });
            return Results.Text(body, "application/json", statusCode: status);
        });
}
