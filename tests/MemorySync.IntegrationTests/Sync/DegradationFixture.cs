using MemorySync.IntegrationTests.Infrastructure;
using MemorySync.Migrations;
using MemorySync.Silo;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>
/// Two silos whose working-memory Redis is a server of the fixture's own, so that tests can stop it. Membership is
/// Orleans' test membership here, so stopping Redis takes away exactly the store under test. Retries are fast and
/// without jitter, so their delays can be observed.
/// </summary>
public sealed class DegradationFixture : IAsyncLifetime
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(1200);
    public const int MaxRetries = 8;
    public const int UnhealthyAfterFailures = 5;

    private ThrowawayDatabase? _database;

    public TestCluster Cluster { get; private set; } = null!;

    internal OwnRedisServer Redis { get; } = new();

    internal ThrowawayDatabase Database => _database!;

    internal IConnectionMultiplexer RedisReader { get; private set; } = null!;

    internal StoreReader Stores => new(Database.DataSource, RedisReader, Cluster.GrainFactory);

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        _database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(_database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        var builder = new TestClusterBuilder(2);
        builder.Properties["Postgres:ConnectionString"] = _database.ConnectionString;
        builder.Properties["Redis:ConnectionString"] = Redis.ConnectionString;
        builder.Properties["Outbox:PollInterval"] = "00:00:00.100";
        builder.Properties["Health:Interval"] = "00:00:00.200";
        builder.Properties["Health:DegradedAfterFailures"] = "1";
        builder.Properties["Health:UnhealthyAfterFailures"] = UnhealthyAfterFailures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties["Outbox:WriterGrace"] = "00:00:00.500";
        builder.Properties["Outbox:BaseDelay"] = BaseDelay.ToString();
        builder.Properties["Outbox:MaxDelay"] = MaxDelay.ToString();
        builder.Properties["Outbox:Jitter"] = "0";
        builder.Properties["Outbox:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        var readerOptions = ConfigurationOptions.Parse(Redis.ConnectionString);
        readerOptions.AbortOnConnectFail = false;
        RedisReader = await ConnectionMultiplexer.ConnectAsync(readerOptions);
    }

    public async Task DisposeAsync()
    {
        await RedisReader.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddMemorySync(siloBuilder.Configuration);
            siloBuilder.UseMemorySyncPersistence(siloBuilder.Configuration["Postgres:ConnectionString"]!);
        }
    }
}
