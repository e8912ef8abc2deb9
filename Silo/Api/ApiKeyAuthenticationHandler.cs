using System.Text;
using System.Text.Encodings.Web;
using MemorySync.Silo.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MemorySync.Silo.Api;

/// <summary>
/// <c>Authorization: Bearer msk_…</c>: the key's scope and agents become the request's user. No key, or one that is
/// unknown, revoked or expired, answers 401; a scope too small for the route answers 403.
/// A browser may present the key as the password of HTTP Basic (any user name), on GET and HEAD only: a browser sends
/// the credentials it remembers with requests that a foreign page makes too, and those must not change anything.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";
    private const string BasicPrefix = "Basic ";
    private const string BasicChallenge = "Basic realm=\"MemorySync (user name: anything, password: an API key)\", charset=\"UTF-8\"";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        string? presented;
        if (header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            presented = header[BearerPrefix.Length..].Trim();
        }
        else if (header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (!AcceptsBasic(Request))
            {
                return AuthenticateResult.Fail($"HTTP Basic is accepted on GET and HEAD only; send 'Authorization: Bearer <key>' with {Request.Method}");
            }

            presented = BasicPassword(header[BasicPrefix.Length..].Trim());
            if (presented is null)
            {
                return AuthenticateResult.Fail("the Basic credentials are not base64 of 'name:key'");
            }
        }
        else
        {
            return AuthenticateResult.Fail("the Authorization header is neither 'Bearer <key>' nor, on GET, 'Basic <name:key>'");
        }

        var caller = await verifier.VerifyAsync(presented, Context.RequestAborted);
        return caller is null
            ? AuthenticateResult.Fail("the key is unknown, revoked or expired")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        // Where a browser could use the key, offer it the Basic prompt as well.
        Response.Headers.WWWAuthenticate = AcceptsBasic(Request) ? new StringValues(["Bearer", BasicChallenge]) : "Bearer";
        var detail = result.Failure?.Message ?? $"this route needs {RequiredCredential(Context)}";
        await ApiProblemResults.Create(StatusCodes.Status401Unauthorized, "unauthorized", "No valid API key", detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblemResults.Create(StatusCodes.Status403Forbidden, "forbidden", "The key may not do this",
            $"this route needs {RequiredCredential(Context)}").ExecuteAsync(Context);

    private static bool AcceptsBasic(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string RequiredCredential(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault()?.Policy switch
        {
            ApiPolicies.Metrics => "an admin key, or the scrape token (Metrics:ScrapeToken), as 'Authorization: Bearer <key or token>'",
            { } scope => $"a key with the {scope} scope ('Authorization: Bearer <key>', memsync keys create)",
            null => "'Authorization: Bearer <key>' (memsync keys create)",
        };
}
