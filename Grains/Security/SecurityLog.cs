using Microsoft.Extensions.Logging;

namespace MemorySync.Security;

/// <summary>Event ids 9501-9599: who was refused at the perimeter (Orleans ports and grain calls).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning, Message = "Refused {Interface}.{Method} to client {ClientId} ({Role}): {Reason}")]
    public static partial void CallRefused(ILogger logger, string @interface, string method, string clientId, string role, string reason);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "Refused a gateway connection from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 9503, Level = LogLevel.Warning, Message = "Could not ask silo {Silo} for the role of client {ClientId}")]
    public static partial void RoleLookupFailed(ILogger logger, string silo, string clientId, Exception exception);
}
