using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

/// <summary>
/// <c>Authorization: Bearer msk_…</c>: the key's scope and agents become the request's user. No key, or one that is
/// unknown, revoked or expired, answers 401; a scope too small for the route answers 403.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("the Authorization header is not 'Bearer <key>'");
        }

        var caller = await verifier.VerifyAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        return caller is null
            ? AuthenticateResult.Fail("the key is unknown, revoked or expired")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = result.Failure?.Message ?? "this route needs 'Authorization: Bearer <key>' (memsync keys create)";
        await ApiProblemResults.Create(StatusCodes.Status401Unauthorized, "unauthorized", "No valid API key", detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblemResults.Create(StatusCodes.Status403Forbidden, "forbidden", "The key may not do this",
            $"this route needs a key with the {RequiredScope(Context)} scope").ExecuteAsync(Context);

    private static string RequiredScope(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()?.Policy ?? "right";
}
