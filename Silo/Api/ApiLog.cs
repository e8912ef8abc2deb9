namespace MemorySync.Silo.Api;

/// <summary>Log events of the agent API (event ids 8000-8099). Never a key: only its id.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "The agent call {Method} {Path} failed")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "The MCP tool {Tool} failed")]
    public static partial void ToolFailed(ILogger logger, Exception exception, string tool);
}
