using MemorySync.Silo.Access;

namespace MemorySync.Silo.Status;

/// <summary>
/// /status (a page of plain HTML, CSS and a little JavaScript, shipped inside the silo) over /status.json, both for
/// admin keys; a browser presents its key through the Basic prompt.
/// </summary>
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
        app.MapGet("/status", () => Results.Content(Page.Value, "text/html; charset=utf-8")).RequireAuthorization(ApiPolicies.Admin);
        app.MapGet("/status.json", async (StatusReadings readings) => Results.Text(MemorySyncJson.Serialize(await readings.StatusAsync()), "application/json"))
            .RequireAuthorization(ApiPolicies.Admin);
    }
}
