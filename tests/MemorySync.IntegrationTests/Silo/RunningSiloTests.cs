using System.Text.Json;
using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(RunningSiloCollection.Name)]
public sealed class RunningSiloTests(RunningSiloFixture silo)
{
    private static readonly string[] Stores = ["redis", "postgres", "faiss"];

    [Fact]
    public async Task HealthEndpoint_ReportsRedisPostgresAndFaissHealthy()
    {
        using var document = JsonDocument.Parse(await (await silo.AdminHttpAsync()).GetStringAsync("/health"));

        Assert.Equal("healthy", document.RootElement.GetProperty("status").GetString());
        AssertEveryStoreHealthy(document.RootElement);
    }

    [Fact]
    public async Task Logs_NeverCarryAConnectionStringOrThePassword()
    {
        // A few requests first, so the log has seen start-up, storage initialization and traffic.
        await silo.Http.GetStringAsync("/health");
        var password = new Npgsql.NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString).Password!;
        var log = silo.Silo.Output + silo.Silo.Error;

        Assert.Contains("MemorySync", log, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionString=", log, StringComparison.Ordinal);
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_IsServedBySilo()
    {
        using var response = await (await silo.AdminHttpAsync()).GetAsync("/dashboard/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"/dashboard/ answered {(int)response.StatusCode}");
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_PassPromtool_AndIncludeOrleansOwnMeters()
    {
        using var response = await silo.MetricsHttp.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        Assert.Contains("# TYPE orleans_", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE memorysync_outbox_pending gauge", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_store_state{store=\"redis\"} 0", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_health_checks_total{result=\"success\",store=\"postgres\"}", body, StringComparison.Ordinal);
        var (exitCode, output) = await PromtoolAsync(body);
        Assert.True(exitCode == 0, $"promtool check metrics failed:{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task ConnectionPools_AreReportedInMetricsAndHealth()
    {
        // The silo has been using PostgreSQL since start-up (migrations, health probes, the outbox), so its pool holds connections.
        var body = await silo.MetricsHttp.GetStringAsync("/metrics");
        Assert.Contains("# TYPE memorysync_connection_pool_size gauge", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_connection_pool_size{state=\"max\",store=\"postgres\"} 50", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_connection_pool_size{state=\"in_use\",store=\"redis\"} 1", body, StringComparison.Ordinal);

        using var health = JsonDocument.Parse(await (await silo.AdminHttpAsync()).GetStringAsync("/health"));
        var postgres = health.RootElement.GetProperty("stores").EnumerateArray().Single(store => store.GetProperty("store").GetString() == "postgres");
        var pool = postgres.GetProperty("pool");
        Assert.Equal(50, pool.GetProperty("max").GetInt64());
        var open = pool.GetProperty("idle").GetInt64() + pool.GetProperty("in_use").GetInt64();
        Assert.True(open is >= 1 and <= 50, $"MemorySync's own PostgreSQL pool should hold between 1 and its maximum of connections: {pool}");
    }

    [Fact]
    public async Task SyncCounters_MoveByExactlyTheNumberOfSyncs()
    {
        var before = await SyncCountsAsync();
        await using (var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions))
        {
            for (var i = 0; i < 3; i++)
            {
                var id = $"counted-{Guid.NewGuid():N}";
                await client.UpsertAsync(new MemoryWrite(id, $"counted memory {i}", Embedding: TestVectors.Unit(new Random(60 + i))));
            }
        }

        var after = await SyncCountsAsync();
        foreach (var store in Stores)
        {
            Assert.Equal(3, after[store] - before[store]);
        }

        var body = await silo.MetricsHttp.GetStringAsync("/metrics");
        Assert.Contains("memorysync_sync_duration_seconds_count{store=\"postgres\"}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_AreExported_FromStartUp_ForEveryKnownLabel_BeforeAnyEvent()
    {
        var body = await silo.MetricsHttp.GetStringAsync("/metrics");

        // No check has found a difference on this silo (its sweeps wait an hour), yet an alert can read the series.
        Assert.Contains("memorysync_consistency_errors_total{store=\"redis\"} ", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_consistency_errors_total{store=\"faiss\"} ", body, StringComparison.Ordinal);
        foreach (var store in Stores)
        {
            Assert.Contains($"memorysync_sync_total{{outcome=\"failure\",store=\"{store}\"}} ", body, StringComparison.Ordinal);
            Assert.Contains($"memorysync_health_checks_total{{result=\"failure\",store=\"{store}\"}} ", body, StringComparison.Ordinal);
        }

        Assert.Contains("memorysync_conflicts_total{outcome=\"open\",strategy=\"manual\"} ", body, StringComparison.Ordinal);
        Assert.Contains("memorysync_status_reads_total{reading=\"status\"} ", body, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, double>> SyncCountsAsync()
    {
        var body = await silo.MetricsHttp.GetStringAsync("/metrics");
        return Stores.ToDictionary(store => store, store =>
        {
            var prefix = $"memorysync_sync_total{{outcome=\"success\",store=\"{store}\"}} ";
            var line = body.Split('\n').FirstOrDefault(candidate => candidate.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string metrics)
    {
        var start = new System.Diagnostics.ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException("promtool (Debian's prometheus package) is not installed; ./test.sh installs it");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
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
