using MemorySync.IntegrationTests.Infrastructure;
using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>A real silo process on a Redis of the fixture's own (membership and working memory), which tests stop.</summary>
public sealed class KilledSiloFixture : RunningSiloFixture
{
    internal OwnRedisServer Redis { get; } = new();

    protected override string RedisConnectionString => Redis.ConnectionString;

    protected override string ClientRedisConnectionString => Redis.ConnectionString;

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Outbox__PollInterval"] = "00:00:00.200",
        ["MEMSYNC_Outbox__WriterGrace"] = "00:00:00.500",
        ["MEMSYNC_Outbox__BaseDelay"] = "00:00:00.300",
        ["MEMSYNC_Outbox__MaxDelay"] = "00:00:01",
        ["MEMSYNC_Outbox__MaxRetries"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
