using MemorySync.Silo;
using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;

namespace MemorySync.IntegrationTests.Cluster;

/// <summary>
/// Two silos joined through the real Redis membership, with grain state and reminders in a real, freshly migrated
/// PostgreSQL database, and a working-memory store that a test can make fail.
/// </summary>
public sealed class ClusterFixture : TwoSiloClusterFixture
{
    protected override void Configure(TestClusterBuilder builder)
    {
        builder.Options.UseTestClusterMembership = false;
        // Tests here stage differences on purpose; the consistency tests cover sweeps.
        builder.Properties["Consistency:SweepPeriod"] = "01:00:00";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
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
