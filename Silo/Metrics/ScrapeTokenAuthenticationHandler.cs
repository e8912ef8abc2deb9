using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Metrics;

/// <summary>
/// <c>Authorization: Bearer &lt;Metrics:ScrapeToken&gt;</c>: a scraper that may read /metrics. The token is compared in
/// constant time (over its hash, so not even its length shows) and never logged.
/// </summary>
internal sealed class ScrapeTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<MetricsOptions> metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScrapeToken";
    public const string ScraperClaim = "memsync:scraper";
    private const string BearerPrefix = "Bearer ";

    private readonly byte[]? _tokenHash = metrics.Value.ScrapeToken.Length == 0 ? null : Hash(metrics.Value.ScrapeToken);

    /// <summary>Whether the user is a scraper that presented the token.</summary>
    public static bool IsScraper(ClaimsPrincipal user) => user.HasClaim(claim => claim.Type == ScraperClaim);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (_tokenHash is null || header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(Hash(header[BearerPrefix.Length..].Trim()), _tokenHash))
        {
            // Not the token; it may still be an API key, which the key scheme judges.
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var scraper = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ScraperClaim, "true")], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(scraper, SchemeName)));
    }

    // The API key scheme answers 401 and 403 for both schemes (one answer per request, naming both credentials).
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Task.CompletedTask;

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Task.CompletedTask;

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
