using Microsoft.Extensions.Logging;

namespace MemorySync.Index;

internal static partial class IndexLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Index shard {Shard} loaded {Count} vectors from PostgreSQL")]
    public static partial void Loaded(ILogger logger, int shard, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Index flush of {Count} changes failed")]
    public static partial void FlushFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Index shard {Shard} restored {Count} vectors from its snapshot of {TakenAt:O} and replayed {Replayed} later changes")]
    public static partial void Restored(ILogger logger, int shard, int count, DateTimeOffset takenAt, int replayed);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Index shard {Shard}'s snapshot is unusable; rebuilding from PostgreSQL")]
    public static partial void SnapshotUnusable(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information,
        Message = "Index shard {Shard} snapshot: {Count} vectors, {Bytes} bytes, epoch {Epoch}, outbox position {Position}")]
    public static partial void SnapshotTaken(ILogger logger, int shard, long count, long bytes, long epoch, long position);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Index shard {Shard} could not snapshot on deactivation; the next activation replays more")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information,
        Message = "Index shard {Shard} reindexed: {Count} vectors, {Reembedded} re-embedded with {Model}, swapped in after {Seconds:F1} s")]
    public static partial void Reindexed(ILogger logger, int shard, int count, int reembedded, string model, double seconds);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Index shard {Shard} reindex failed; the live index keeps serving")]
    public static partial void ReindexFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information,
        Message = "Index shard {Shard} now serves from {Factory}: trained on {Count} vectors, {CaughtUp} later changes caught up, swapped in after {Seconds:F1} s")]
    public static partial void Trained(ILogger logger, int shard, string factory, int count, int caughtUp, double seconds);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error,
        Message = "Index shard {Shard} could not train {Factory}; it keeps serving from Flat and tries again at {NextAt} vectors")]
    public static partial void TrainingFailed(ILogger logger, Exception exception, int shard, string factory, long nextAt);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "Index shard {Shard} starts training {Factory} again: a reindex replaced the index it was training from")]
    public static partial void TrainingRestarted(ILogger logger, Exception exception, int shard, string factory);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Index shard {Shard} trained its index but could not snapshot it; a later snapshot includes it")]
    public static partial void SnapshotAfterTrainingFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning,
        Message = "Index shard {Shard} snapshot of epoch {Epoch} at outbox position {Position} refused: a newer snapshot stands (a later activation of the shard, or a later save of this one)")]
    public static partial void SnapshotRefused(ILogger logger, int shard, long epoch, long position);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning,
        Message = "Index shard {Shard}'s snapshot of {TakenAt:O} is older than the outbox keeps completed rows (Outbox:RetainCompleted {Retain}); rebuilding from PostgreSQL")]
    public static partial void SnapshotTooOld(ILogger logger, int shard, DateTimeOffset takenAt, TimeSpan retain);
}
