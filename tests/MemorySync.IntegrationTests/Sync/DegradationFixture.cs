using System.Globalization;
using MemorySync.Testing;
using Orleans.TestingHost;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>
/// Two silos whose working-memory Redis is a server of the fixture's own, so that tests can stop it. Membership is
/// Orleans' test membership here, so stopping Redis takes away exactly the store under test. Retries are fast and
/// without jitter, so their delays can be observed.
/// </summary>
public sealed class DegradationFixture : TwoSiloClusterFixture
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(1200);
    public const int MaxRetries = 8;
    public const int UnhealthyAfterFailures = 5;

    internal OwnRedisServer RedisServer { get; } = new();

    protected override async Task<string> StartRedisAsync()
    {
        await RedisServer.StartAsync();
        return RedisServer.ConnectionString;
    }

    protected override async Task StopServersAsync()
    {
        await base.StopServersAsync();
        await RedisServer.DisposeAsync();
    }

    protected override void Configure(TestClusterBuilder builder)
    {
        builder.Properties["Outbox:PollInterval"] = "00:00:00.100";
        builder.Properties["Health:Interval"] = "00:00:00.200";
        builder.Properties["Health:DegradedAfterFailures"] = "1";
        builder.Properties["Health:UnhealthyAfterFailures"] = UnhealthyAfterFailures.ToString(CultureInfo.InvariantCulture);
        builder.Properties["Outbox:WriterGrace"] = "00:00:00.500";
        builder.Properties["Outbox:BaseDelay"] = BaseDelay.ToString();
        builder.Properties["Outbox:MaxDelay"] = MaxDelay.ToString();
        builder.Properties["Outbox:Jitter"] = "0";
        builder.Properties["Outbox:MaxRetries"] = MaxRetries.ToString(CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<MemorySyncSiloConfigurator>();
    }
}
