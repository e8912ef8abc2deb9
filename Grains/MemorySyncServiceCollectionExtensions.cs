using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MemorySync;

public static class MemorySyncServiceCollectionExtensions
{
    /// <summary>Everything a silo's grains need, concern by concern: stores, the write path, the sweeps, diagnostics.</summary>
    public static IServiceCollection AddMemorySync(this IServiceCollection services, IConfiguration configuration) => services
        .AddMemorySyncStores(configuration)
        .AddMemorySyncWritePath(configuration)
        .AddMemorySyncConsistency(configuration)
        .AddMemorySyncDiagnostics(configuration);
}
