using System.Text.Json.Nodes;

namespace MemorySync.IntegrationTests.Api;

/// <summary>The routes of docs/agent-api.md, each with a call that is valid for an admin key, and the operations an OpenAPI document lists.</summary>
internal static class OpenApiRoutes
{
    public sealed record Route(string Method, string Path, Func<ApiHttp, string, Task<ApiAnswer>> CallAsync);

    public sealed record Operation(string Method, string Path, IReadOnlySet<string> Responses);

    public static IReadOnlyList<Route> Expected { get; } =
    [
        new("PUT", "/v1/memories/{id}", (http, path) => http.SendRawAsync(HttpMethod.Put, path, """{"content": "written again"}""")),
        new("GET", "/v1/memories/{id}", (http, path) => http.GetAsync(path)),
        new("DELETE", "/v1/memories/{id}", (http, path) => http.DeleteAsync(path)),
        new("GET", "/v1/memories/{id}/history", (http, path) => http.GetAsync(path)),
        new("POST", "/v1/memories/batch", (http, path) => http.PostAsync(path, new { memories = new[] { new { memory_id = $"doc-{Guid.NewGuid():N}", content = "one" } } })),
        new("POST", "/v1/memories/{id}/resolve", (http, path) => http.PostAsync(path, new { keep = "current" })),
        new("POST", "/v1/search", (http, path) => http.PostAsync(path, new { text = "a documented memory", k = 3 })),
        new("GET", "/v1/conflicts", (http, path) => http.GetAsync(path)),
        new("GET", "/v1/admin/stats", (http, path) => http.GetAsync(path)),
        new("POST", "/v1/admin/check", (http, path) => http.PostAsync(path)),
        new("POST", "/v1/admin/repair", (http, path) => http.PostAsync(path, new Dictionary<string, string[]>())),
        new("POST", "/v1/admin/reindex", (http, path) => http.PostAsync(path, new { reembed_all = false })),
        new("GET", "/v1/admin/outbox", (http, path) => http.GetAsync(path)),
        new("POST", "/v1/admin/outbox/retry", (http, path) => http.PostAsync($"{path}?store=all")),
        new("GET", "/v1/admin/health", (http, path) => http.GetAsync(path)),
    ];

    /// <summary>The fields the 200 answer's schema requires that <paramref name="body"/> (or its first item) lacks.</summary>
    public static IReadOnlyList<string> MissingRequiredFields(JsonNode document, Operation operation, JsonNode? body)
    {
        var schema = document["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!["responses"]!["200"]!["content"]?["application/json"]?["schema"];
        if (schema?["items"] is { } items)
        {
            schema = items;
            body = body is JsonArray { Count: > 0 } array ? array[0] : null;
        }

        if (schema?["$ref"]?.GetValue<string>() is not { } reference || body is not JsonObject fields)
        {
            return [];
        }

        var component = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        return (component["required"]?.AsArray() ?? []).Select(name => name!.GetValue<string>()).Where(name => !fields.ContainsKey(name)).ToList();
    }

    public static IEnumerable<Operation> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(operation => operation.Key is "get" or "put" or "post" or "delete" or "patch")
            .Select(operation => new Operation(operation.Key.ToUpperInvariant(), path.Key,
                operation.Value!["responses"]!.AsObject().Select(response => response.Key).ToHashSet())));
}
