using MemorySync.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MemorySync.Testing;

/// <summary>
/// Two in-process silos (Orleans' <see cref="TestCluster"/>) on a freshly migrated PostgreSQL database and a Redis of
/// their own key prefix: the production wiring of the silo minus its HTTP endpoints. By default both servers are the
/// test stack's (a throwaway database, the shared Redis); a fixture that stops a server brings its own instead.
/// </summary>
public abstract class TwoSiloClusterFixture : IAsyncLifetime
{
    private ThrowawayDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The silos' Redis key prefix, the fixture's own: the shared test Redis holds other fixtures' memories too.</summary>
    public string KeyPrefix { get; } = TestStack.NewKeyPrefix();

    /// <summary>A connection of the test's own to the silos' Redis, for reading it directly; it reconnects after Redis restarts.</summary>
    internal IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>The test's own connection pool to the silos' database.</summary>
    internal NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("the fixture is not initialized");

    internal StoreReader Stores => new(DataSource, Redis, Cluster.GrainFactory, KeyPrefix);

    /// <summary>Starts the PostgreSQL server the silos use, if it is the fixture's own, and answers an empty database's connection string.</summary>
    protected virtual async Task<string> StartPostgresAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        return _database.ConnectionString;
    }

    /// <summary>Starts the Redis server the silos use, if it is the fixture's own, and answers its connection string.</summary>
    protected virtual Task<string> StartRedisAsync() => Task.FromResult(TestStack.RedisConnectionString);

    /// <summary>Stops what <see cref="StartPostgresAsync"/> and <see cref="StartRedisAsync"/> started, after the silos stopped.</summary>
    protected virtual async Task StopServersAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>The fixture's settings and silo configurator (<see cref="MemorySyncSiloConfigurator"/> for the plain wiring).</summary>
    protected abstract void Configure(TestClusterBuilder builder);

    public async Task InitializeAsync()
    {
        var postgres = await StartPostgresAsync();
        var redis = await StartRedisAsync();
        _dataSource = NpgsqlDataSource.Create(postgres);
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();

        var builder = new TestClusterBuilder(2);
        builder.Properties["Postgres:ConnectionString"] = postgres;
        builder.Properties["Redis:ConnectionString"] = redis;
        builder.Properties["Redis:KeyPrefix"] = KeyPrefix;
        Configure(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var readerOptions = ConfigurationOptions.Parse(redis);
        readerOptions.AbortOnConnectFail = false;
        Redis = await ConnectionMultiplexer.ConnectAsync(readerOptions);
    }

    public async Task DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await StopServersAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> on the silos' database (default for none).</summary>
    internal Task<T?> ScalarAsync<T>(string sql) => DataSource.ScalarAsync<T>(sql);
}
