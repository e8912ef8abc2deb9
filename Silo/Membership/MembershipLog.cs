namespace MemorySync.Silo.Membership;

internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Silo {Silo} is missing from the membership table (Redis lost its data); putting it back")]
    public static partial void EntryLost(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information,
        Message = "Silo {Silo} is back in the membership table at version {TableVersion}, {Elapsed} after it was lost")]
    public static partial void EntryRestored(ILogger logger, SiloAddress silo, int tableVersion, TimeSpan elapsed);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Checking this silo's membership entry failed; checking again shortly")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
