using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MemorySync.Configuration;
using MemorySync.Stores;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Stack;

/// <summary>scripts/stack.sh on an instance of its own (own ports, own data), so the test stack it runs beside is untouched.</summary>
public sealed class StackScriptTests : IAsyncLifetime
{
    private readonly string _instance = $"selftest{Guid.NewGuid():N}"[..16];
    private readonly int _redisPort = FreePort.Next();
    private readonly int _postgresPort = FreePort.Next();

    private string StateDir => Path.Combine(RepoPaths.Root, ".stack", _instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await RunAsync("destroy");

    [Fact]
    public async Task StartTwice_KillHard_StartAgain_Stop_RecoversAndLeavesNothingRunning()
    {
        var first = await RunAsync("start");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(Listening(_redisPort) && Listening(_postgresPort), "both servers should listen after start");

        var second = await RunAsync("start");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("reusing it", second.Output, StringComparison.Ordinal);

        // Redis keeps its pid file in its own folder, which redis-location names (it is elsewhere under a root-only clone).
        var redisHome = (await File.ReadAllTextAsync(Path.Combine(StateDir, "redis-location"))).Trim();
        var redisPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(redisHome, "redis.pid")), CultureInfo.InvariantCulture);
        Process.GetProcessById(redisPid).Kill();
        await Eventually.ReturnsAsync(() => Task.FromResult(Listening(_redisPort)), listening => !listening, TimeSpan.FromSeconds(20), "redis gone");

        var recovered = await RunAsync("start");
        Assert.True(recovered.ExitCode == 0, recovered.Output);
        Assert.Contains("stale pid file", recovered.Output, StringComparison.Ordinal);
        Assert.True(Listening(_redisPort), "redis should listen again after the recovering start");

        var stop = await RunAsync("stop");
        Assert.True(stop.ExitCode == 0, stop.Output);
        Assert.False(Listening(_redisPort), "redis still listens after stop");
        Assert.False(Listening(_postgresPort), "postgres still listens after stop");
    }

    // Redis replays its append-only file as the default user, and re-checks that user's permissions for every MULTI/EXEC
    // block, which is how a script's writes are logged (redis/redis#14541): with the default user stripped of every
    // command, each memory the silo wrote by script was silently dropped at the next restart (seen on the dev stack:
    // 19,536 memories repaired by the sweeps after one restart). The default user stays off (nobody logs in as it) but
    // keeps the permissions a replay needs.
    [Fact]
    public async Task RedisRestarted_KeepsWhatTheSiloWroteByScript()
    {
        var started = await RunAsync("start");
        Assert.True(started.ExitCode == 0, started.Output);
        var password = (await File.ReadAllTextAsync(Path.Combine(StateDir, "redis-password"))).Trim();
        var connection = $"127.0.0.1:{_redisPort.ToString(CultureInfo.InvariantCulture)},user=memsync-silo,password={password}";
        var record = new MemoryRecord("aof-replay-1", "agent", "written by the silo's script", MemoryTypes.Episodic, 0.5, "{}", 3, "checksum",
            DateTimeOffset.UtcNow, new Dictionary<string, long>(), StoreVersions.None, Deleted: false, EmbeddingModel: null, EmbeddingDimension: null);
        var key = global::MemorySync.Model.RedisKeyScheme.MemoryKey("memsync", record.MemoryId);
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(connection))
        {
            await new RedisWorkingMemoryStore(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { KeyPrefix = "memsync" })).WriteAsync(record);
        }

        Assert.Equal(0, (await RunAsync("stop")).ExitCode);
        var again = await RunAsync("start");
        Assert.True(again.ExitCode == 0, again.Output);

        await using var restarted = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(connection);
        Assert.Equal("3", (await restarted.GetDatabase().HashGetAsync(key, "version")).ToString());
        Assert.Equal(record.Content, (await restarted.GetDatabase().HashGetAsync(key, "content")).ToString());
    }

    [Fact]
    public async Task Start_WhenItsPortIsTakenByAnotherProgram_SaysSoAndFails()
    {
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, _redisPort);
        squatter.Start();

        var result = await RunAsync("start");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"port 127.0.0.1:{_redisPort} is taken", result.Output, StringComparison.Ordinal);
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "stack.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add("--instance");
        start.ArgumentList.Add(_instance);
        start.Environment["MEMSYNC_STACK_REDIS_PORT"] = _redisPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["MEMSYNC_STACK_POSTGRES_PORT"] = _postgresPort.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
