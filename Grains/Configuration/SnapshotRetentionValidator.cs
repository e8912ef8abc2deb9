using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>
/// A shard restored from a snapshot replays the outbox rows completed after it, and completed rows are kept only for
/// Outbox:RetainCompleted: snapshots must come often enough that the last one is still replayable after a crash.
/// </summary>
internal sealed class SnapshotRetentionValidator(IOptions<OutboxOptions> outbox) : IValidateOptions<FaissOptions>
{
    public ValidateOptionsResult Validate(string? name, FaissOptions options)
    {
        var retain = outbox.Value.RetainCompleted;
        return retain > TimeSpan.Zero && options.SnapshotInterval > retain / 2
            ? ValidateOptionsResult.Fail(
                $"Faiss:SnapshotInterval ({options.SnapshotInterval}) must be at most half of Outbox:RetainCompleted ({retain}): " +
                "a snapshot older than the retention can no longer be replayed, and a shard restarted from one rebuilds from PostgreSQL")
            : ValidateOptionsResult.Success;
    }
}
