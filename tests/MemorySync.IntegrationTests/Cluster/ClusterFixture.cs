using MemorySync.IntegrationTests.Infrastructure;
using MemorySync.Migrations;
using MemorySync.Silo;
using MemorySync.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Cluster;

/// <summary>
/// Two silos joined through the real Redis membership, with grain state and reminders in a real, freshly migrated
/// PostgreSQL database: the production wiring of the silo, minus the HTTP endpoints.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ThrowawayDatabase? _database;

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>A connection of the test's own to the same Redis, for reading it directly.</summary>
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>The fixture's own Redis key prefix: the shared test Redis holds other fixtures' memories too.</summary>
    public string KeyPrefix { get; } = TestStack.NewKeyPrefix();

    internal StoreReader Stores => new(Database.DataSource, Redis, Cluster.GrainFactory, KeyPrefix);

    internal ThrowawayDatabase Database => _database ?? throw new InvalidOperationException("the fixture is not initialized");

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(_database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties["Postgres:ConnectionString"] = _database.ConnectionString;
        builder.Properties["Redis:ConnectionString"] = TestStack.RedisConnectionString;
        builder.Properties["Redis:KeyPrefix"] = KeyPrefix;
        // Tests here stage differences on purpose; the consistency tests cover sweeps.
        builder.Properties["Consistency:SweepPeriod"] = "01:00:00";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(TestStack.RedisConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddMemorySync(siloBuilder.Configuration);
            siloBuilder.Services.AddSingleton<IWorkingMemoryStore>(services =>
                new FaultInjectingWorkingMemoryStore(ActivatorUtilities.CreateInstance<RedisWorkingMemoryStore>(services)));
            siloBuilder.UseMemorySync(siloBuilder.Configuration["Postgres:ConnectionString"]!);
            // Reminders as short as a second, so a test sees one fire within its deadline.
            siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseRedisClustering(configuration["Redis:ConnectionString"]!);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
