using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>With Kestrel:Certificates:Default set, the silo's one HTTP port speaks HTTPS only.</summary>
public sealed class HttpsTests(HttpsSiloFixture silo) : IClassFixture<HttpsSiloFixture>
{
    private static readonly TimeSpan CurlDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheAgentApi_AnswersOverHttps_ToAClientThatTrustsTheCa()
    {
        var admin = await silo.AdminHttpAsync();
        var id = $"https-{Guid.NewGuid():N}";

        using var put = await admin.PutAsJsonAsync($"/v1/memories/{id}", new { content = "Stored over HTTPS.", embedding = TestVectors.Unit(new Random(3)) });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var read = JsonNode.Parse(await admin.GetStringAsync($"/v1/memories/{id}"))!;

        Assert.Equal("Stored over HTTPS.", read["content"]!.GetValue<string>());
        Assert.Equal("https", admin.BaseAddress!.Scheme);
    }

    [Fact]
    public async Task Curl_WithTheCa_GetsHealth_AndWithoutIt_RefusesTheCertificate()
    {
        var url = $"https://127.0.0.1:{silo.HttpPort}/health";

        var trusted = await CurlAsync("--silent", "--show-error", "--cacert", ClusterCertificates.Authority, url);
        var untrusted = await CurlAsync("--silent", "--show-error", url);

        Assert.True(trusted.ExitCode == 0, trusted.Error);
        Assert.Contains("\"status\"", trusted.Output, StringComparison.Ordinal);
        // 60: the peer's certificate cannot be authenticated with the machine's CA certificates.
        Assert.Equal(60, untrusted.ExitCode);
    }

    [Fact]
    public async Task PlainHttp_OnTheSamePort_GetsNoAnswer()
    {
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}") };

        var answered = await AnsweredAsync(plain);

        Assert.False(answered, "a plain HTTP request to the HTTPS port was answered with a success");
    }

    private static async Task<bool> AnsweredAsync(HttpClient plain)
    {
        try
        {
            using var response = await plain.GetAsync("/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> CurlAsync(params string[] arguments)
    {
        await using var curl = DotnetProcess.StartProgram("curl", new Dictionary<string, string>(), arguments);
        var exitCode = await curl.WaitForExitAsync(CurlDeadline);
        return (exitCode, curl.Output, curl.Error);
    }
}
