using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MemorySync.Client;
using MemorySync.Keys;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The silo's HTTP API as an agent calls it, for the benchmark's HTTP rows: an admin key made for the run (revoked at
/// its end), one pooled HTTP client, the JSON of docs/agent-api.md.
/// </summary>
internal sealed class HttpAgentApi : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // The benchmark measures the API, not the rate limit in front of it.
    private const int BenchRate = 1_000_000;

    private readonly HttpClient _http;
    private readonly MemorySyncClient _client;
    private readonly string _keyId;

    private HttpAgentApi(HttpClient http, MemorySyncClient client, string keyId)
    {
        _http = http;
        _client = client;
        _keyId = keyId;
    }

    public static async Task<HttpAgentApi> OpenAsync(MemorySyncClient client, Uri baseAddress)
    {
        var key = await client.Operations.CreateKeyAsync(new ApiKeyRequest([], ApiScope.Admin, DateTimeOffset.UtcNow.AddHours(6), RequestsPerSecond: BenchRate));
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        var api = new HttpAgentApi(http, client, key.KeyId);
        try
        {
            using var probe = await http.GetAsync("/v1/conflicts");
            probe.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await api.DisposeAsync();
            throw new CliInputException($"--http: the silo's HTTP API at {baseAddress} did not answer ({exception.Message})");
        }

        return api;
    }

    public async Task PutAsync(MemoryWrite write)
    {
        var body = new
        {
            write.Content,
            write.MemoryType,
            write.Importance,
            Metadata = write.MetadataJson is null ? (JsonElement?)null : JsonDocument.Parse(write.MetadataJson).RootElement,
            write.Embedding,
            write.AgentId,
        };
        using var response = await _http.PutAsync($"/v1/memories/{write.MemoryId}", Body(body));
        await EnsureAsync(response);
    }

    public async Task GetAsync(string memoryId)
    {
        using var response = await _http.GetAsync($"/v1/memories/{memoryId}");
        await EnsureAsync(response);
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The ids of the k closest memories.</summary>
    public async Task<IReadOnlyList<string>> SearchAsync(float[] query, int k)
    {
        using var response = await _http.PostAsync("/v1/search", Body(new { Embedding = query, K = k }));
        await EnsureAsync(response);
        var hits = await response.Content.ReadFromJsonAsync<JsonElement>();
        return hits.EnumerateArray().Select(hit => hit.GetProperty("memory_id").GetString()!).ToList();
    }

    // Serialized whole and sent with its length, as agents' HTTP clients send a JSON body (JsonContent would stream it
    // chunked, in pieces the server has to wait for).
    private static ByteArrayContent Body<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the HTTP API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _client.Operations.RevokeKeyAsync(_keyId);
    }
}
