using MemorySync.Clock;
using MemorySync.Configuration;
using MemorySync.Embeddings;
using MemorySync.Index;
using MemorySync.Keys;
using MemorySync.Migrations;
using MemorySync.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync;

public static class MemorySyncStoresServiceCollectionExtensions
{
    /// <summary>
    /// The stores: their options (validated at start), the one PostgreSQL data source and its connection recovery, the one
    /// Redis multiplexer, the migrator and the clock anchored on PostgreSQL, the store adapters, the embedding model, and
    /// the filter that reports a store's failure to callers as a <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static IServiceCollection AddMemorySyncStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PostgresOptions, PostgresOptionsValidator>(configuration, PostgresOptions.SectionName);
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(configuration, RedisOptions.SectionName);
        services.AddValidatedOptions<FaissOptions, FaissOptionsValidator>(configuration, FaissOptions.SectionName);
        services.AddSingleton<IValidateOptions<FaissOptions>, SnapshotRetentionValidator>();

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
        services.AddSingleton<PostgresGroupCommit>();
        services.AddSingleton<IEpisodicStore, PostgresEpisodicStore>();
        services.AddSingleton<IConflictLog, PostgresConflictLog>();
        services.AddSingleton<IIndexSource, PostgresIndexSource>();
        services.AddSingleton<IWorkingMemoryStore, RedisWorkingMemoryStore>();
        services.AddSingleton<IEmbeddingGenerator, MiniLmEmbeddingGenerator>();
        services.AddSingleton<IndexSnapshotStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IIncomingGrainCallFilter, StoreFailureFilter>();
        return services;
    }
}
