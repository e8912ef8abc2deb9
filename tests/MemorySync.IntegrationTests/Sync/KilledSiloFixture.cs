using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>A real silo process on a Redis of its own, which tests stop, with an outbox that retries quickly.</summary>
public sealed class KilledSiloFixture : OwnRedisSiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Outbox__PollInterval"] = "00:00:00.200",
        ["MEMSYNC_Outbox__WriterGrace"] = "00:00:00.500",
        ["MEMSYNC_Outbox__BaseDelay"] = "00:00:00.300",
        ["MEMSYNC_Outbox__MaxDelay"] = "00:00:01",
        ["MEMSYNC_Outbox__MaxRetries"] = "1000",
    };
}
