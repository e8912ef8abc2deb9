using Microsoft.Extensions.Logging;

namespace MemorySync.Consistency;

internal static partial class ConsistencyLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Consistency sweep of partition {Partition} finished: {Examined} memories, {Differing} ranges differed, {Inconsistent} memories differed, {Repaired} repaired, {Failed} not, in {Seconds:F1} s")]
    public static partial void SweepFinished(ILogger logger, int partition, long examined, int differing, int inconsistent, int repaired, int failed, double seconds);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Consistency sweep of partition {Partition} resumes from its checkpoint at range {Range} ({Phase} phase)")]
    public static partial void SweepResumed(ILogger logger, int partition, int range, string phase);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Consistency sweep of partition {Partition} stopped by an error; the next run resumes from its checkpoint")]
    public static partial void SweepFailed(ILogger logger, Exception exception, int partition);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Memory {MemoryId} differs from PostgreSQL in {Stores}")]
    public static partial void Inconsistent(ILogger logger, string memoryId, string stores);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Scheduling the consistency sweeps failed; retrying in {Seconds} s")]
    public static partial void SchedulingFailed(ILogger logger, Exception exception, int seconds);
}
