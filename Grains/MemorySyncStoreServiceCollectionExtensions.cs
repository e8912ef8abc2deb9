using MemorySync.Clock;
using MemorySync.Configuration;
using MemorySync.Consistency;
using MemorySync.Diagnostics;
using MemorySync.Embeddings;
using MemorySync.Health;
using MemorySync.Index;
using MemorySync.Keys;
using MemorySync.Migrations;
using MemorySync.Outbox;
using MemorySync.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync;

public static class MemorySyncStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options (validated at start), the one PostgreSQL data source, the one Redis multiplexer, the
    /// store adapters, the embedding model, the migrator, the health probe, and the filter that reports a store's failure
    /// to callers as a <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static IServiceCollection AddMemorySyncStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.AddOptions<FaissOptions>().Bind(configuration.GetSection(FaissOptions.SectionName)).ValidateOnStart();
        services.AddOptions<MemoryOptions>().Bind(configuration.GetSection(MemoryOptions.SectionName)).ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateOnStart();
        services.AddOptions<ConflictOptions>().Bind(configuration.GetSection(ConflictOptions.SectionName)).ValidateOnStart();
        services.AddOptions<ConsistencyOptions>().Bind(configuration.GetSection(ConsistencyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<StoreOptionsValidator>();
        services.AddSingleton<IValidateOptions<PostgresOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<RedisOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<FaissOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<FaissOptions>, SnapshotRetentionValidator>();
        services.AddSingleton<IValidateOptions<MemoryOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<OutboxOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<ConflictOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());
        services.AddSingleton<IValidateOptions<ConsistencyOptions>>(provider => provider.GetRequiredService<StoreOptionsValidator>());

        services.AddSingleton(provider => StoreConnectionFactory.CreatePostgres(provider.GetRequiredService<IOptions<PostgresOptions>>().Value));
        // Orleans' grain storage and reminders open their connections with the same connection string: one pool to clear too.
        services.AddSingleton(provider => new PostgresConnectionRecovery(provider.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            provider.GetRequiredService<ILogger<PostgresConnectionRecovery>>(), provider.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString));
        services.AddSingleton<IConnectionMultiplexer>(provider =>
            StoreConnectionFactory.ConnectRedis(provider.GetRequiredService<IOptions<RedisOptions>>().Value));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<PostgresClock>();
        services.AddSingleton<ClockAnchor>();
        services.AddHostedService(provider => provider.GetRequiredService<ClockAnchor>());
        services.AddSingleton<StoreHealthProbe>();
        services.AddSingleton<ConnectionPoolUsage>();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName));
        services.AddSingleton<StoreHealthMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreHealthMonitor>());
        services.AddSingleton<PostgresGroupCommit>();
        services.AddSingleton<IEpisodicStore, PostgresEpisodicStore>();
        services.AddSingleton<IWorkingMemoryStore, RedisWorkingMemoryStore>();
        services.AddSingleton<IEmbeddingGenerator, MiniLmEmbeddingGenerator>();
        services.AddSingleton<IOutboxStore, PostgresOutboxStore>();
        services.AddSingleton<StoreRecoveries>();
        services.AddSingleton<PostgresSweepSource>();
        services.AddSingleton<RedisSweepSource>();
        services.AddSingleton<PartitionInspector>();
        services.AddSingleton<IndexSnapshotStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ConsistencySchedule>();
        services.AddMetrics();
        services.AddSingleton<MemorySyncMetrics>();
        services.AddHostedService<OutboxDrainer>();
        services.AddSingleton<IIncomingGrainCallFilter, StoreFailureFilter>();
        return services;
    }
}
