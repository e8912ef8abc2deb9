using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace MemorySync.Silo.Api;

/// <summary>RFC 9457 problem+json answers: every refusal of the agent API has this one shape.</summary>
internal static class ApiProblemResults
{
    public const string ContentType = "application/problem+json";

    public static IResult From(ApiProblemException problem) => Create(problem.Status, problem.Type, problem.Title, problem.Message, problem.Field);

    public static IResult Create(int status, string type, string title, string detail, string? field = null)
    {
        var document = new ProblemDetails
        {
            Type = $"urn:memorysync:problem:{type}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        if (field is not null)
        {
            document.Extensions["field"] = field;
        }

        return Results.Json(document, ProblemJson, ContentType, status);
    }

    public static Task WriteAsync(HttpContext context, ApiProblemException problem) => From(problem).ExecuteAsync(context);

    // Details quote inputs ('<key>', "current"): keep them readable, as MemorySync's other documents do.
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
