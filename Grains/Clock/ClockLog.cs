using Microsoft.Extensions.Logging;

namespace MemorySync.Clock;

internal static partial class ClockLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "This machine's clock is {OffsetSeconds:F1} s off PostgreSQL's (more than Memory:MaxClockSkew, {MaxSkewSeconds:F0} s): " +
            "MemorySync stamps writes with PostgreSQL's time, but Orleans' membership reads this clock; fix the machine's time sync")]
    public static partial void WallClockSkewed(ILogger logger, double offsetSeconds, double maxSkewSeconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "This machine's clock is back within Memory:MaxClockSkew of PostgreSQL's ({OffsetSeconds:F1} s off)")]
    public static partial void WallClockBack(ILogger logger, double offsetSeconds);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "PostgreSQL's clock could not be read ({Error}); the last anchor holds")]
    public static partial void NotAnchored(ILogger logger, string error);
}
