using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MemorySync.IntegrationTests.Api;

/// <summary>One answer of the agent API: its status, headers and JSON body (null when it had none).</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, JsonNode? Body)
{
    public int Code => (int)Status;

    /// <summary>The field a problem+json answer names, if any.</summary>
    public string? Field => Body?["field"]?.GetValue<string>();

    public override string ToString() => $"{Code} {Body?.ToJsonString()}";
}

/// <summary>Calls the silo's HTTP API as a caller holding one key.</summary>
internal sealed class ApiHttp(HttpClient http, string? token)
{
    public Task<ApiAnswer> PutAsync(string memoryId, object body, string? ifMatch = null) =>
        SendAsync(HttpMethod.Put, $"/v1/memories/{memoryId}", Json(body), ifMatch);

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<ApiAnswer> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body is null ? null : Json(body));

    public Task<ApiAnswer> SendRawAsync(HttpMethod method, string path, string body, bool expectContinue = false) =>
        SendAsync(method, path, new StringContent(body, Encoding.UTF8, "application/json"), expectContinue: expectContinue);

    /// <param name="expectContinue">
    /// Ask before sending the body (<c>Expect: 100-continue</c>, as curl does for a large one): a server that refuses
    /// the request by its headers answers without reading the body, and the client hears that answer instead of a
    /// broken pipe while it was still sending.
    /// </param>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? ifMatch = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.ExpectContinue = expectContinue ? true : null;
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        return new ApiAnswer(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static StringContent Json(object body) =>
        new(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
