using Microsoft.Extensions.Logging;

namespace MemorySync.Migrations;

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Name}")]
    public static partial void Applied(ILogger logger, string name);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Schema is up to date ({Count} migrations)")]
    public static partial void UpToDate(ILogger logger, int count);
}
