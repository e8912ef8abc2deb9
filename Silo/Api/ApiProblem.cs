namespace MemorySync.Silo.Api;

/// <summary>
/// A refused agent call: its HTTP status, a short title, what to do about it, and the input to fix. The HTTP routes
/// answer it as RFC 9457 problem+json, the MCP tools as an error result.
/// </summary>
public sealed class ApiProblemException(int status, string type, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>The problem type's slug (<c>urn:memorysync:problem:&lt;type&gt;</c>).</summary>
    public string Type { get; } = type;

    public string Title { get; } = title;

    public string? Field { get; } = field;

    public static ApiProblemException BadInput(string field, string detail) =>
        new(StatusCodes.Status400BadRequest, "bad-input", "The request is invalid", detail, field);

    public static ApiProblemException NotFound(string memoryId) =>
        new(StatusCodes.Status404NotFound, "not-found", "Not found", $"memory {memoryId} was not found");

    public static ApiProblemException Forbidden(string detail, string? field = null) =>
        new(StatusCodes.Status403Forbidden, "forbidden", "The key may not do this", detail, field);

    public static ApiProblemException Conflict(string detail, string? field = null) =>
        new(StatusCodes.Status409Conflict, "conflict", "Conflict", detail, field);

    public static ApiProblemException PreconditionFailed(string detail) =>
        new(StatusCodes.Status412PreconditionFailed, "precondition-failed", "If-Match no longer holds", detail, "If-Match");
}
