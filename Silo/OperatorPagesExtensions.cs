using MemorySync.Keys;
using MemorySync.Silo.Access;
using MemorySync.Silo.Api;
using MemorySync.Silo.Metrics;
using MemorySync.Silo.Status;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo;

/// <summary>The operator's pages behind keys: /metrics' scrape token and the cached readings of /health and /status.json.</summary>
public static class OperatorPagesExtensions
{
    /// <summary>Needs <see cref="AgentApiExtensions.AddMemorySyncAgentApi"/> first: its API keys are the pages' keys.</summary>
    public static WebApplicationBuilder AddMemorySyncOperatorPages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddOptions<StatusOptions>().Bind(builder.Configuration.GetSection(StatusOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StatusOptions>, StatusOptionsValidator>();
        services.AddSingleton<StatusReadings>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ScrapeTokenAuthenticationHandler>(ScrapeTokenAuthenticationHandler.SchemeName, _ => { });
        // The API key scheme first: it answers the challenge for both.
        services.AddAuthorizationBuilder().AddPolicy(ApiPolicies.Metrics, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, ScrapeTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => ScrapeTokenAuthenticationHandler.IsScraper(context.User)
                || ApiCaller.TryFrom(context.User)?.Allows(ApiScope.Admin) == true));
        return builder;
    }
}
