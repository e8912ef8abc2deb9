namespace MemorySync.Silo.Status;

/// <summary>How fresh /health and /status.json are (section <c>Status</c>).</summary>
public sealed class StatusOptions
{
    public const string SectionName = "Status";

    /// <summary>
    /// How long one read of the stores answers every request for /health and /status.json: a flood of requests then
    /// costs PostgreSQL one statistics query per window. 0 reads at every request.
    /// </summary>
    public int CacheSeconds { get; set; } = 2;
}
