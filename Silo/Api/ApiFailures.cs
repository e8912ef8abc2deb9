using System.Text.Json;
using Npgsql;

namespace MemorySync.Silo.Api;

/// <summary>
/// What each failure of an agent call means to the caller (docs/agent-api.md, "Errors"): the one mapping that both the
/// HTTP routes and the MCP tools answer with.
/// </summary>
internal static class ApiFailures
{
    public const int RetryAfterSeconds = 5;

    /// <summary>The problem to answer, or null for a failure that is the server's own (answered as a bare 500).</summary>
    public static ApiProblemException? ToProblem(Exception exception) => exception switch
    {
        ApiProblemException problem => problem,
        MemoryValidationException invalid => ApiProblemException.BadInput(invalid.Field, Detail(invalid)),
        ForeignMemoryException foreign => ApiProblemException.NotFound(foreign.MemoryId),
        MemoryConflictException conflict => ApiProblemException.Conflict(conflict.Message, "base_version"),
        StoreUnavailableException or NpgsqlException or TimeoutException => new ApiProblemException(StatusCodes.Status503ServiceUnavailable,
            "unavailable", "PostgreSQL is unavailable", $"PostgreSQL (the source of truth) did not answer; nothing was stored; retry in {RetryAfterSeconds} s"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or
            BadHttpRequestException { InnerException: BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } } => TooLarge(null),
        BadHttpRequestException { InnerException: JsonException json } => BadJson(json),
        BadHttpRequestException bad => new ApiProblemException(bad.StatusCode, "bad-request", "The request is invalid", bad.Message, "body"),
        JsonException json => BadJson(json),
        _ => null,
    };

    public static ApiProblemException TooLarge(long? limit) => new(StatusCodes.Status413PayloadTooLarge, "too-large", "The body is too large",
        limit is null ? "the request body is larger than Api:MaxBodyBytes" : $"the request body is larger than Api:MaxBodyBytes ({limit} bytes)");

    // A validation message already starts with its field ("importance: ..."): say it once.
    private static string Detail(MemoryValidationException invalid) =>
        invalid.Message.StartsWith(invalid.Field + ": ", StringComparison.Ordinal) ? invalid.Message[(invalid.Field.Length + 2)..] : invalid.Message;

    // System.Text.Json names where it stopped ("$.importance", "$.memories[2].strategy"): that is the field to fix.
    private static ApiProblemException BadJson(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        // The serializer's own words name .NET types, which mean nothing to a caller: say what the field must be instead.
        var reason = field == "body" ? $"the body is not valid JSON: {json.Message.Split(" Path:", 2)[0]}" : ApiFieldTypes.Describe(field) ?? "has a value of the wrong type";
        return ApiProblemException.BadInput(field, field == "body" ? reason : $"{field} {reason}");
    }
}
