using MemorySync.Keys;

namespace MemorySync.Silo.Access;

/// <summary>
/// The authorization policies: one per scope (the operator pages need <see cref="Admin"/>), <see cref="Metrics"/> for
/// /metrics (an admin key or the scrape token), and the per-key rate limiter's name.
/// </summary>
internal static class ApiPolicies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string Metrics = "metrics";
    public const string PerKeyRateLimit = "per-key";

    public static readonly IReadOnlyDictionary<string, ApiScope> Scopes = new Dictionary<string, ApiScope>
    {
        [Read] = ApiScope.Read,
        [Write] = ApiScope.Write,
        [Admin] = ApiScope.Admin,
    };
}
