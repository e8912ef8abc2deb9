using System.Net;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MemorySync.Silo;

public static class MemorySyncSiloBuilderExtensions
{
    /// <summary>The storage provider name of MemorySync's grain state (also the default provider).</summary>
    public const string StorageName = "postgres";

    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Redis membership over the process's shared multiplexer, grain state and reminders in PostgreSQL (tables from
    /// sql/0002).
    /// </summary>
    public static ISiloBuilder UseMemorySync(this ISiloBuilder silo, string postgresConnectionString)
    {
        silo.UseRedisClustering(_ => { });
        silo.Services.AddOptions<RedisClusteringOptions>().Configure<IConnectionMultiplexer>((options, multiplexer) =>
        {
            // Orleans validates that ConfigurationOptions is set even when it is handed a multiplexer to share.
            options.ConfigurationOptions = ConfigurationOptions.Parse(multiplexer.Configuration);
            options.CreateMultiplexer = _ => Task.FromResult((multiplexer, true));
        });
        // Orleans never writes a silo's entry again once Redis lost it; this does, so new clients find the cluster.
        silo.Services.AddHostedService<Membership.MembershipRecovery>();
        silo.UseMemorySyncPersistence(postgresConnectionString);
        // Each silo answers for its own process (memory), reached by its address.
        silo.AddPlacementDirector<Stats.SiloPinnedPlacement, Stats.SiloPinnedPlacementDirector>();
        return silo;
    }

    /// <summary>Grain state and reminders in PostgreSQL; also used on its own by test clusters.</summary>
    public static ISiloBuilder UseMemorySyncPersistence(this ISiloBuilder silo, string postgresConnectionString)
    {
        silo.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = postgresConnectionString;
        });
        silo.AddAdoNetGrainStorage(StorageName, options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = postgresConnectionString;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = postgresConnectionString;
        });
        return silo;
    }

    /// <summary>The silo's endpoints and cluster identity from <see cref="SiloHostOptions"/> and <see cref="ClusterIdentityOptions"/>.</summary>
    public static ISiloBuilder UseMemorySyncEndpoints(this ISiloBuilder silo, SiloHostOptions host, ClusterIdentityOptions cluster)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        // An address that is none is refused by SiloStartup (SiloHostOptionsValidator) before Orleans starts.
        var advertised = IPAddress.TryParse(host.AdvertisedAddress, out var address) ? address : IPAddress.Loopback;
        silo.ConfigureEndpoints(advertised, host.SiloPort, host.GatewayPort, listenOnAnyHostAddress: host.ListenOnAnyHostAddress);
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = host.MinimumReminderPeriod);
        return silo;
    }
}
