using System.Globalization;
using System.Text.Json;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Gateways;

/// <summary>
/// A new memsync while Redis (the membership table) is stopped and the silo still runs: it connects through a
/// configured gateway or the gateways the last memsync saw, and otherwise says what to configure.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class GatewayFallbackTests(OwnRedisSiloFixture silo) : IClassFixture<OwnRedisSiloFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly string _cacheFile = Path.Combine(Path.GetTempPath(), $"memsync-gateways-{Guid.NewGuid():N}.txt");

    private bool _redisStopped;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        File.Delete(_cacheFile);
        // The next test starts from a whole cluster.
        if (_redisStopped)
        {
            await silo.Redis.StartAsync();
        }
    }

    [Fact]
    public async Task RedisStopped_NewCliWithAConfiguredGateway_ConnectsAndWrites()
    {
        var id = $"gwconf-{Guid.NewGuid():N}";
        await StopRedisAsync();

        using var stored = await PutAsync(id, new Dictionary<string, string>
        {
            ["MEMSYNC_Client__Gateways"] = $"localhost:{silo.GatewayPort.ToString(CultureInfo.InvariantCulture)}",
            ["MEMSYNC_Client__GatewayCacheFile"] = _cacheFile,
        });

        Assert.Equal(1, stored.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(1, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM episodic_memory WHERE memory_id = '{id}'"));
    }

    [Fact]
    public async Task RedisStopped_NewCliAfterOneThatSawRedis_ConnectsThroughTheCachedGateways()
    {
        var before = $"gwcache-{Guid.NewGuid():N}";
        var during = $"gwcache-{Guid.NewGuid():N}";
        var cacheOnly = new Dictionary<string, string> { ["MEMSYNC_Client__GatewayCacheFile"] = _cacheFile };
        (await PutAsync(before, cacheOnly)).Dispose();
        var cached = await File.ReadAllTextAsync(_cacheFile);
        Assert.Contains($":{silo.GatewayPort.ToString(CultureInfo.InvariantCulture)}/", cached, StringComparison.Ordinal);
        Assert.DoesNotContain("password", cached, StringComparison.OrdinalIgnoreCase);

        await StopRedisAsync();
        using var stored = await PutAsync(during, cacheOnly);

        Assert.Equal(1, stored.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(1, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM episodic_memory WHERE memory_id = '{during}'"));
    }

    [Fact]
    public async Task RedisStopped_NoGatewayConfiguredOrCached_ExitsUnreachable_NamingTheSetting()
    {
        var id = $"gwnone-{Guid.NewGuid():N}";
        await StopRedisAsync();

        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, With(new() { ["MEMSYNC_Client__GatewayCacheFile"] = _cacheFile }),
            "put", "--id", id, "--content", "No way in.", "--json");

        Assert.Equal(3, await cli.WaitForExitAsync(Deadline));
        Assert.Contains("set Client:Gateways (MEMSYNC_Client__Gateways=host:port,...)", cli.Error, StringComparison.Ordinal);
        Assert.Contains($"none cached in {_cacheFile}", cli.Error, StringComparison.Ordinal);
        Assert.Equal(0, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM episodic_memory WHERE memory_id = '{id}'"));
    }

    [Fact]
    public async Task AGatewayThatIsNotHostAndPort_IsRefusedNamingTheSetting()
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, With(new() { ["MEMSYNC_Client__Gateways"] = "localhost" }), "health", "--json");

        Assert.Equal(2, await cli.WaitForExitAsync(Deadline));
        Assert.Contains("error: Client:Gateways: 'localhost' is not host:port", cli.Error, StringComparison.Ordinal);
    }

    private async Task StopRedisAsync()
    {
        _redisStopped = true;
        await silo.Redis.StopAsync();
    }

    private async Task<JsonDocument> PutAsync(string id, Dictionary<string, string> settings)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, With(settings), "put", "--id", id, "--content", $"Stored by {id}.", "--json");
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync put exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        return JsonDocument.Parse(cli.Output);
    }

    private Dictionary<string, string> With(Dictionary<string, string> settings) =>
        new(silo.Environment.Concat(settings).GroupBy(pair => pair.Key).Select(group => group.Last()));
}
