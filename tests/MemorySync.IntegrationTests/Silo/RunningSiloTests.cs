using System.Text.Json;
using MemorySync.Client;
using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.IntegrationTests.Silo;

public sealed class RunningSiloTests(RunningSiloFixture silo) : IClassFixture<RunningSiloFixture>
{
    private static readonly string[] Stores = ["redis", "postgres", "faiss"];

    [Fact]
    public async Task HealthEndpoint_ReportsRedisPostgresAndFaissHealthy()
    {
        using var document = JsonDocument.Parse(await silo.Http.GetStringAsync("/health"));

        Assert.Equal("healthy", document.RootElement.GetProperty("status").GetString());
        AssertEveryStoreHealthy(document.RootElement);
    }

    [Fact]
    public async Task Dashboard_IsServedBySilo()
    {
        using var response = await silo.Http.GetAsync("/dashboard/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"/dashboard/ answered {(int)response.StatusCode}");
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_ArePrometheusTextIncludingOrleansOwnMeters()
    {
        using var response = await silo.Http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
        Assert.Contains("orleans_", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_ConnectsThroughRedisMembership_AndSeesEveryStoreHealthy()
    {
        await using var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions);

        var report = await client.CheckHealthAsync();

        Assert.Equal(StoreState.Healthy, report.Overall);
        Assert.Equal(Stores, report.Stores.Select(store => store.Store));
    }

    [Fact]
    public async Task CliHealthJson_PrintsOneDocumentWithEveryStoreHealthy()
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, "health", "--json");
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"memsync health exited {exitCode}: {cli.Error}");
        using var document = JsonDocument.Parse(cli.Output);
        AssertEveryStoreHealthy(document.RootElement);
    }

    [Fact]
    public async Task CliHealth_WhenNoSiloRuns_FailsWithAClearErrorOnStderr()
    {
        var environment = new Dictionary<string, string>(silo.Environment) { ["MEMSYNC_Cluster__ClusterId"] = $"nobody-{Guid.NewGuid():N}" };

        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, environment, "health", "--json");
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, exitCode);
        Assert.Contains("no MemorySync silo answered", cli.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Output.Trim());
    }

    private static void AssertEveryStoreHealthy(JsonElement report)
    {
        var stores = report.GetProperty("stores").EnumerateArray().ToList();
        Assert.Equal(Stores, stores.Select(store => store.GetProperty("store").GetString()));
        Assert.All(stores, store => Assert.Equal("healthy", store.GetProperty("state").GetString()));
    }
}
