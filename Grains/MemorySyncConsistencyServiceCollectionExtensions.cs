using MemorySync.Configuration;
using MemorySync.Consistency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MemorySync;

public static class MemorySyncConsistencyServiceCollectionExtensions
{
    /// <summary>The sweeps: their settings (validated at start), what they read from each store, and their reminders' schedule.</summary>
    public static IServiceCollection AddMemorySyncConsistency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConsistencyOptions, ConsistencyOptionsValidator>(configuration, ConsistencyOptions.SectionName);
        services.AddSingleton<PostgresSweepSource>();
        services.AddSingleton<RedisSweepSource>();
        services.AddSingleton<PartitionInspector>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ConsistencySchedule>();
        return services;
    }
}
