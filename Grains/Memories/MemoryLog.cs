using Microsoft.Extensions.Logging;

namespace MemorySync.Memories;

internal static partial class MemoryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Writing memory {MemoryId} version {Version} to {Store} failed; its outbox row stays pending")]
    public static partial void StoreWriteFailed(ILogger logger, Exception exception, string store, string memoryId, long version);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error,
        Message = "Version {Version} of memory {MemoryId} is committed, but its conflict record could not be written")]
    public static partial void ConflictNotRecorded(ILogger logger, Exception exception, string memoryId, long version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Recording the sync of memory {MemoryId} version {Version} failed; the outbox will replay it")]
    public static partial void CompletionFailed(ILogger logger, Exception exception, string memoryId, long version);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Repairing memory {MemoryId} in {Store} failed")]
    public static partial void RepairFailed(ILogger logger, Exception exception, string store, string memoryId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Memory {MemoryId}: a newer activation has claimed it (this one's epoch {Epoch}); this activation refuses its calls and deactivates")]
    public static partial void Superseded(ILogger logger, string memoryId, long epoch);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Memory {MemoryId} was repaired, but the record of the repair could not be written")]
    public static partial void RepairNotRecorded(ILogger logger, Exception exception, string memoryId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning,
        Message = "The strict write of memory {MemoryId} version {Version} was rolled back in every store, but its rolled-back row could not be written")]
    public static partial void RollbackNotRecorded(ILogger logger, Exception exception, string memoryId, long version);
}
