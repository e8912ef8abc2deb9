using Microsoft.Extensions.Logging;

namespace MemorySync.Stores;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "A PostgreSQL connection died ({Failure}: {Error}); pools cleared, running the command once more on a fresh connection")]
    public static partial void RetryingOnFreshConnection(ILogger logger, PostgresConnectionFailure failure, string error);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information,
        Message = "A PostgreSQL connection died ({Failure}: {Error}); pools cleared, the command is not run again (it may have happened)")]
    public static partial void NotRetried(ILogger logger, PostgresConnectionFailure failure, string error);
}
