using MemorySync.Configuration;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>Builds the process's one PostgreSQL data source and one Redis multiplexer from options.</summary>
public static class StoreConnectionFactory
{
    /// <summary>The name of MemorySync's PostgreSQL pool in Npgsql's metrics.</summary>
    public const string PoolName = "memsync";

    public static NpgsqlDataSource CreatePostgres(PostgresOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MinPoolSize = options.MinPoolSize,
            MaxPoolSize = options.MaxPoolSize,
            CommandTimeout = options.CommandTimeoutSeconds,
            ConnectionLifetime = options.ConnectionLifetimeSeconds,
            // The write path runs the same few statements (a commit of four CTEs, its bookkeeping) thousands of times:
            // prepared on each connection, PostgreSQL parses and plans them once instead of on every write.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            // MemorySync never leaves session state behind (its one setting is SET LOCAL): skip the reset statement
            // Npgsql would otherwise run at the start of every pooled connection's next use.
            NoResetOnClose = true,
        };
        // The name tags the pool's metrics, so pool figures count MemorySync's own pool, not Orleans' storage pools.
        return new NpgsqlDataSourceBuilder(builder.ConnectionString) { Name = PoolName }.Build();
    }

    /// <summary>
    /// Connects without aborting on failure: the multiplexer keeps retrying in the background, so a Redis that comes
    /// back is picked up again without a restart.
    /// </summary>
    public static IConnectionMultiplexer ConnectRedis(RedisOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "memorysync";
        return ConnectionMultiplexer.Connect(configuration);
    }
}
