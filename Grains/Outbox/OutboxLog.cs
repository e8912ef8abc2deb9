using Microsoft.Extensions.Logging;

namespace MemorySync.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Outbox poll failed; retrying at the next poll")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error,
        Message = "Dead-lettered {Store} sync of memory {MemoryId} version {Version} after {Attempts} attempts: {Error}")]
    public static partial void DeadLettered(ILogger logger, string memoryId, long version, string store, int attempts, string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Deleted {Rows} outbox rows completed more than {Retain} ago")]
    public static partial void Purged(ILogger logger, int rows, TimeSpan retain);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information,
        Message = "{Store} recovered at {RecoveredAt:u}: {Requeued} dead outbox rows re-queued, {Completed} closed as already applied or superseded")]
    public static partial void Redriven(ILogger logger, string store, long requeued, long completed, DateTimeOffset recoveredAt);
}
