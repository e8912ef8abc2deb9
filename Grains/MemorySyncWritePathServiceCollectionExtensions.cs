using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MemorySync;

public static class MemorySyncWritePathServiceCollectionExtensions
{
    /// <summary>
    /// The write path around the grains: the memory, outbox and conflict settings (validated at start), the outbox and
    /// its drainer (retries with backoff, dead letters re-driven when a store recovers), and the fault suite's failpoints.
    /// </summary>
    public static IServiceCollection AddMemorySyncWritePath(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MemoryOptions, MemoryOptionsValidator>(configuration, MemoryOptions.SectionName);
        services.AddValidatedOptions<OutboxOptions, OutboxOptionsValidator>(configuration, OutboxOptions.SectionName);
        services.AddValidatedOptions<ConflictOptions, ConflictOptionsValidator>(configuration, ConflictOptions.SectionName);
        services.AddValidatedOptions<FailpointOptions, FailpointOptionsValidator>(configuration, FailpointOptions.SectionName);
        services.AddSingleton<Failpoints>();
        services.AddSingleton<IOutboxStore, PostgresOutboxStore>();
        services.AddSingleton<StoreRecoveries>();
        services.AddHostedService<OutboxDrainer>();
        return services;
    }
}
