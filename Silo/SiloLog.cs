namespace MemorySync.Silo;

internal static partial class SiloLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Critical, Message = "Invalid setting: {Failure}")]
    public static partial void InvalidSetting(ILogger logger, string failure);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "{Problem}")]
    public static partial void StoreUnreachable(ILogger logger, string problem);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Critical, Message = "{Problem}")]
    public static partial void ClockSkewed(ILogger logger, string problem);
}
