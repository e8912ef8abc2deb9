using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Consistency;

/// <summary>
/// A real silo process whose sweeps run only when a test asks (the reminder period is an hour), four partitions, and
/// a low sweep rate so a test can stop a sweep half-way. Tests corrupt its stores directly.
/// </summary>
public class ConsistencySiloFixture : ConnectedSiloFixture
{
    public const int Partitions = 4;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    internal StoreReader Stores => new(Database.DataSource, Redis, Client.Grains, KeyPrefix);

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Consistency__Partitions"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MEMSYNC_Consistency__MaxMemoriesPerSecond"] = "20",
        ["MEMSYNC_Consistency__RangesPerStep"] = "2",
        ["MEMSYNC_Consistency__ScanBatchSize"] = "50",
    };

    public override async Task InitializeAsync()
    {
        Redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>The same, with sweeps every two seconds driven by the reminders alone.</summary>
public sealed class SweepingSiloFixture : ConsistencySiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Consistency__Partitions"] = "2",
        ["MEMSYNC_Consistency__SweepPeriod"] = "00:00:02",
        ["MEMSYNC_Silo__MinimumReminderPeriod"] = "00:00:01",
    };
}
