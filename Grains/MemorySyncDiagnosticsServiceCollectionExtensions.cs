using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MemorySync;

public static class MemorySyncDiagnosticsServiceCollectionExtensions
{
    /// <summary>Metrics (with the connection pools' usage) and the store health monitor, its settings validated at start.</summary>
    public static IServiceCollection AddMemorySyncDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<ConnectionPoolUsage>();
        services.AddSingleton<MemorySyncMetrics>();
        services.AddValidatedOptions<HealthOptions, HealthOptionsValidator>(configuration, HealthOptions.SectionName);
        services.AddSingleton<StoreHealthProbe>();
        services.AddSingleton<StoreHealthMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreHealthMonitor>());
        return services;
    }
}
