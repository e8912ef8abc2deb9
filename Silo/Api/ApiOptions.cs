namespace MemorySync.Silo.Api;

/// <summary>Limits of the agent-facing surfaces, HTTP /v1 and MCP (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body, in bytes; a larger one answers 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most memories one <c>POST /v1/memories/batch</c> may carry.</summary>
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Each key's sustained rate; beyond it (and its burst) a call answers 429.</summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>How many calls a key may make at once above its sustained rate.</summary>
    public int RequestBurst { get; set; } = 400;

    /// <summary>How long a silo trusts a key it validated before asking PostgreSQL again: the bound on revocation and expiry.</summary>
    public int KeyCacheSeconds { get; set; } = 5;
}
