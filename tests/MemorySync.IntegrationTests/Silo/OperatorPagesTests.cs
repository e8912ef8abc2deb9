using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MemorySync.IntegrationTests.Api;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>
/// The operator pages of a real silo behind keys: who gets 401 (with the browser's Basic prompt), 403 and 200; /metrics
/// with the scrape token; /health without a key; and /health and /status.json reading the stores once per cache window.
/// </summary>
[Collection(AgentApiCollection.Name)]
public sealed class OperatorPagesTests(AgentApiFixture api)
{
    public static readonly TheoryData<string> OperatorPages = ["/status", "/status.json", "/dashboard/", "/dashboard/ClusterStats", "/v1/admin/stats", "/v1/admin/health"];

    public static readonly TheoryData<string> KeyedPages = ["/status", "/status.json", "/dashboard/", "/dashboard/ClusterStats", "/v1/admin/stats", "/v1/admin/health", "/metrics"];

    [Theory]
    [MemberData(nameof(KeyedPages))]
    public async Task OperatorPage_WithoutAKey_Answers401_AndOffersTheBrowsersBasicPrompt(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.Select(challenge => challenge.Scheme).ToList();
        Assert.Contains("Bearer", challenges);
        Assert.Contains("Basic", challenges);
        Assert.DoesNotContain("\"stores\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyedPages))]
    public async Task OperatorPage_WithAReadOrWriteKey_Answers403(string path)
    {
        foreach (var key in new[] { api.ReadA, api.WriteA })
        {
            using var response = await SendAsync(HttpMethod.Get, path, Bearer(key.Key));
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} with a {key.Scopes[^1]} key answered {(int)response.StatusCode}: {body}");
            Assert.Contains(path == "/metrics" ? "Metrics:ScrapeToken" : "admin scope", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(KeyedPages))]
    public async Task OperatorPage_WithAnAdminKey_Answers200_AsBearerAndAsTheBasicPassword(string path)
    {
        using var bearer = await SendAsync(HttpMethod.Get, path, Bearer(api.Admin.Key));
        using var basic = await SendAsync(HttpMethod.Get, path, Basic("operator", api.Admin.Key));

        Assert.True(bearer.StatusCode == HttpStatusCode.OK, $"{path} with an admin key answered {(int)bearer.StatusCode}");
        Assert.True(basic.StatusCode == HttpStatusCode.OK, $"{path} with an admin key as the Basic password answered {(int)basic.StatusCode}");
    }

    [Fact]
    public async Task Metrics_WithTheScrapeToken_Answers200_AndWithAWrongToken401()
    {
        using var right = await SendAsync(HttpMethod.Get, "/metrics", Bearer(api.ScrapeToken));
        var wrongToken = api.ScrapeToken[..^1] + (api.ScrapeToken[^1] == '0' ? '1' : '0');
        using var wrong = await SendAsync(HttpMethod.Get, "/metrics", Bearer(wrongToken));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("# TYPE memorysync_store_state gauge", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("memorysync_", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OperatorPages))]
    public async Task ScrapeToken_OpensNoOtherPage(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, Bearer(api.ScrapeToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_WithoutAKey_SaysOnlyItsState_AndWithAReadKeyTheWholeReport()
    {
        using var anonymous = await SendAsync(HttpMethod.Get, "/health", authorization: null);
        using var badKey = await SendAsync(HttpMethod.Get, "/health", Bearer("msk_k000000000000_not-a-secret"));
        using var read = await SendAsync(HttpMethod.Get, "/health", Bearer(api.ReadA.Key));

        foreach (var bare in new[] { anonymous, badKey })
        {
            Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
            using var document = JsonDocument.Parse(await bare.Content.ReadAsStringAsync());
            Assert.Equal(["status"], document.RootElement.EnumerateObject().Select(property => property.Name));
            Assert.Equal("healthy", document.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var full = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.Equal(3, full.RootElement.GetProperty("stores").GetArrayLength());
        Assert.True(full.RootElement.TryGetProperty("outbox", out _), "a key's /health should carry the outbox");
    }

    [Fact]
    public async Task BasicCredentials_OnAWrite_AreRefused_AndTheStoresStayUnchanged()
    {
        // A browser sends the credentials it remembers with a foreign page's form posts too: Basic opens GET only.
        var memoryId = $"basic-{Guid.NewGuid():N}";
        var before = await StoreFootprint.ReadAsync(api.Stores, memoryId);
        using var content = new StringContent(JsonSerializer.Serialize(new { content = "written through a remembered password", agent_id = api.AgentA }),
            Encoding.UTF8, "application/json");

        using var response = await SendAsync(HttpMethod.Put, $"/v1/memories/{memoryId}", Basic("operator", api.WriteA.Key), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("GET and HEAD only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StoreFootprint.ReadAsync(api.Stores, memoryId));
        Assert.Equal("none", before.Postgres);
    }

    [Fact]
    public async Task HealthAndStatusJson_FloodedWithRequests_ReadTheStoresAboutOncePerCacheWindow()
    {
        const int Requests = 300;
        var before = await StatusReadsAsync();
        var clock = Stopwatch.StartNew();
        using var admin = new HttpClient { BaseAddress = api.Http.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = Bearer(api.Admin.Key);
        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? api.Http.GetAsync("/health") : admin.GetAsync("/status.json"));
            return response.StatusCode;
        }));
        var elapsed = clock.Elapsed;
        var after = await StatusReadsAsync();

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        // Reads happen at most once per window (Status:CacheSeconds, 2 s by default), plus one for the window the flood
        // began in; without the cache every request would read (here 150 of each).
        var bound = (int)Math.Floor(elapsed.TotalSeconds / 2) + 2;
        foreach (var reading in new[] { "health", "status" })
        {
            var reads = after.GetValueOrDefault(reading) - before.GetValueOrDefault(reading);
            Assert.True(reads <= bound, $"{Requests} requests over {elapsed.TotalSeconds:F1} s made {reads} {reading} reads of the stores (at most {bound} expected)");
        }
    }

    [Fact]
    public async Task SiloLog_NeverCarriesAKeyOrTheScrapeToken()
    {
        using (await SendAsync(HttpMethod.Get, "/metrics", Bearer(api.ScrapeToken[..^1] + "x")))
        using (await SendAsync(HttpMethod.Get, "/status", Basic("operator", api.Admin.Key)))
        using (await SendAsync(HttpMethod.Post, "/v1/admin/check", Basic("operator", api.Admin.Key)))
        {
        }

        var log = api.Silo.Output + api.Silo.Error;
        foreach (var secret in new[] { api.ScrapeToken, api.Admin.Key, api.ReadA.Key, api.WriteA.Key })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{api.Admin.Key}")), log, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, long>> StatusReadsAsync()
    {
        var body = await api.MetricsHttp.GetStringAsync("/metrics");
        const string Prefix = "memorysync_status_reads_total{reading=\"";
        return body.Split('\n').Where(line => line.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(
            line => line[Prefix.Length..line.IndexOf('"', Prefix.Length)],
            line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = authorization;
        return await api.Http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    private static AuthenticationHeaderValue Basic(string user, string key) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}")));
}
