using Microsoft.Extensions.Logging;

namespace MemorySync.Index;

internal static partial class IndexLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Index shard {Shard} loaded {Count} vectors from PostgreSQL")]
    public static partial void Loaded(ILogger logger, int shard, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Index flush of {Count} changes failed")]
    public static partial void FlushFailed(ILogger logger, Exception exception, int count);
}
