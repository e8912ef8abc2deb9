using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using MemorySync.Silo.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

/// <summary>The agent-facing surfaces: HTTP /v1 with its OpenAPI document, and the MCP server, behind API keys.</summary>
public static class AgentApiExtensions
{
    /// <summary>The JSON of the agent API: MemorySync's documents (snake_case, lower-case enums), numbers only as numbers.</summary>
    internal static JsonSerializerOptions ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    /// <summary>Keys, scopes, the per-key rate limit, problem+json errors, OpenAPI and MCP.</summary>
    public static WebApplicationBuilder AddMemorySyncAgentApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        var maxBody = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>()?.MaxBodyBytes ?? new ApiOptions().MaxBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyVerifier>();
        services.AddSingleton<AgentMemoryService>();
        services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        // A body that does not bind (malformed JSON, an unknown enum value) throws, so the exception handler can name its field.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var (name, scope) in ApiPolicies.Scopes)
        {
            authorization.AddPolicy(name, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => ApiCaller.TryFrom(context.User)?.Allows(scope) == true));
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ApiPolicies.PerKeyRateLimit, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                var caller = ApiCaller.TryFrom(context.User);
                // A key with a rate of its own gets a burst in proportion; every other key the silo's.
                var rate = caller?.RequestsPerSecond ?? options.RequestsPerSecond;
                var burst = caller?.RequestsPerSecond is { } own
                    ? (int)Math.Clamp((long)options.RequestBurst * own / options.RequestsPerSecond, own, int.MaxValue)
                    : options.RequestBurst;
                return RateLimitPartition.GetTokenBucketLimiter(caller?.KeyId ?? string.Empty, _ =>
                    new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = rate,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblemResults.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                    $"this key's rate limit (its own, or Api:RequestsPerSecond) is spent; retry in {seconds} s").ExecuteAsync(rejected.HttpContext);
            };
        });

        services.AddOpenApi("v1", openApi =>
        {
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer<BearerSchemeTransformer>();
        });
        return builder;
    }

    /// <summary>/v1 (every route under a key and its rate limit) and /openapi/v1.json, and the middleware /mcp shares.</summary>
    public static WebApplication MapMemorySyncAgentApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<BodySizeGate>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiPolicies.Read).RequireRateLimiting(ApiPolicies.PerKeyRateLimit);
        v1.MapMemoryEndpoints().MapSearchEndpoints().MapAdminEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
