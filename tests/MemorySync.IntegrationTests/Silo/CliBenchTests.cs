using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MemorySync.Testing;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>
/// <c>memsync bench</c> against a real silo process, small: every row of the report is there, each MemorySync row
/// carries its raw counterpart and ratios, search finds the exact neighbours (Flat), and the silo's memory is read.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(RunningSiloCollection.Name)]
public sealed class CliBenchTests(RunningSiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Bench_ReportsEveryRow_AgainstItsRawCounterpart()
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment,
            "bench", "--memories", "40", "--concurrency", "4", "--search-at", "6000", "--queries", "25",
            "--http", silo.Http.BaseAddress!.ToString(), "--json");
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync bench exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        using var report = JsonDocument.Parse(cli.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(row => row.GetProperty("name").GetString()!);

        string[] raw = ["raw postgres: sequential upserts", "raw postgres: 16 connections", "raw postgres: batches of 100 in one transaction",
            "raw redis: pipelined", "raw faiss: batch add (Flat)", "raw naive: postgres, redis, faiss, sequential"];
        Assert.All(raw, name => Assert.True(rows[name].GetProperty("per_second").GetDouble() > 0, name));
        Assert.Equal("raw naive: postgres, redis, faiss, sequential", rows["memsync: sequential"].GetProperty("compared_to").GetString());
        Assert.Equal("raw postgres: 16 connections", rows["memsync: 4 concurrent callers"].GetProperty("compared_to").GetString());
        Assert.Equal("raw postgres: batches of 100 in one transaction", rows["memsync: batch sync"].GetProperty("compared_to").GetString());
        Assert.All(rows.Values.Where(row => row.GetProperty("name").GetString()!.StartsWith("memsync:", StringComparison.Ordinal)),
            row => Assert.True(row.GetProperty("throughput_ratio").GetDouble() > 0));

        // The HTTP rows stand beside the Orleans client's rows of the same run.
        Assert.Equal("memsync: sequential", rows["memsync http: sequential put"].GetProperty("compared_to").GetString());
        Assert.Equal("memsync: 4 concurrent callers", rows["memsync http: 4 concurrent puts"].GetProperty("compared_to").GetString());
        Assert.Equal("memsync: get (a memory its grain holds)", rows["memsync http: get (a memory its grain holds)"].GetProperty("compared_to").GetString());
        Assert.Equal(40, rows["memsync http: get (a memory its grain holds)"].GetProperty("memories").GetInt32());
        // The paced pair: the same rate through both doors (half the slower door's concurrent throughput), 40 puts each.
        var paced = Assert.Single(rows.Values, row => row.GetProperty("name").GetString()!.StartsWith("memsync http: puts at ", StringComparison.Ordinal));
        var pacedName = paced.GetProperty("name").GetString()!;
        Assert.Equal(pacedName.Replace("memsync http: ", "memsync: ", StringComparison.Ordinal), paced.GetProperty("compared_to").GetString());
        Assert.Equal(40, paced.GetProperty("memories").GetInt32());
        Assert.True(paced.GetProperty("p50_milliseconds").GetDouble() > 0, pacedName);
        var httpSearch = Assert.Single(rows.Values, row => row.GetProperty("name").GetString()!.StartsWith("memsync http: search k=10", StringComparison.Ordinal));
        Assert.StartsWith("memsync: search k=10", httpSearch.GetProperty("compared_to").GetString(), StringComparison.Ordinal);
        Assert.Equal(1.0, httpSearch.GetProperty("recall_at10").GetDouble());

        var search = Assert.Single(rows.Values, row => row.GetProperty("name").GetString()!.StartsWith("memsync: search k=10", StringComparison.Ordinal));
        Assert.StartsWith("raw faiss: search k=10", search.GetProperty("compared_to").GetString(), StringComparison.Ordinal);
        // 6,000 bench memories put 20 around each of the generator's 300 topics, so a query's ten nearest are all its
        // topic's, far from every other memory: an exact index finds all ten.
        Assert.Equal(1.0, search.GetProperty("recall_at10").GetDouble());
        var sweep = Assert.Single(rows.Values, row => row.GetProperty("name").GetString()!.StartsWith("memsync: clean consistency sweep", StringComparison.Ordinal));
        Assert.Contains("(0 differ)", sweep.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.True(sweep.GetProperty("memories").GetInt32() >= 6000 + 3 * 40);

        Assert.True(report.RootElement.GetProperty("silo_memory").GetProperty("peak_resident_bytes").GetInt64() > 0);
        Assert.True(report.RootElement.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
    }

    // Stopped half-way (SIGTERM, as a terminal closing or a CI timeout sends), the bench takes its two silos with it.
    [Fact]
    public async Task BenchTls_Terminated_LeavesNoSiloRunning()
    {
        var environment = new Dictionary<string, string>(silo.Environment) { ["MEMSYNC_Bench__SiloProgram"] = RepoPaths.SiloDll };
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, environment, "bench", "tls", "--memories", "100000", "--rounds", "2");
        var started = await Eventually.ReturnsAsync(() => Task.FromResult(cli.Error), error => error.Contains("silo with TLS on: up", StringComparison.Ordinal),
            Deadline, "both bench silos up");
        var silos = Regex.Matches(started, @"\(pid (\d+)\)").Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, silos.Count);

        await cli.SignalAsync("TERM");
        await cli.WaitForExitAsync(Deadline);

        foreach (var siloProcess in silos)
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(IsRunning(siloProcess)), running => !running, TimeSpan.FromSeconds(30),
                $"bench silo {siloProcess} stopped");
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // The TLS rows: two silos of the bench's own, TLS off and on, on this cluster's PostgreSQL and Redis; each "tls on"
    // row compared with its "tls off" row. Afterwards nothing of theirs is left: no schema, no key, no membership table.
    [Fact]
    public async Task BenchTls_ComparesEveryRow_WithTlsOff_AndLeavesNothingBehind()
    {
        var environment = new Dictionary<string, string>(silo.Environment) { ["MEMSYNC_Bench__SiloProgram"] = RepoPaths.SiloDll };
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, environment,
            "bench", "tls", "--memories", "30", "--concurrency", "4", "--queries", "10", "--rounds", "2", "--json");
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync bench tls exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        using var report = JsonDocument.Parse(cli.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(row => row.GetProperty("name").GetString()!);

        // The paced pair's rate is half the slower side's concurrent throughput, so only its prefix is known.
        var paced = Assert.Single(rows.Keys, name => name.StartsWith("tls on: puts at ", StringComparison.Ordinal))["tls on: ".Length..];
        Assert.EndsWith("/s", paced, StringComparison.Ordinal);
        string[] measured = ["sequential put", "4 concurrent puts", paced, "get (a memory its grain holds)", "search k=10 by embedding"];
        Assert.Equal(measured.Length * 2, rows.Count);
        foreach (var name in measured)
        {
            var secured = rows[$"tls on: {name}"];
            Assert.Equal($"tls off: {name}", secured.GetProperty("compared_to").GetString());
            Assert.True(secured.GetProperty("throughput_ratio").GetDouble() > 0, name);
            // The concurrent row writes at least eight puts per caller in each round: 2 rounds x 4 callers x 8.
            var calls = name switch { "search k=10 by embedding" => 10, "4 concurrent puts" => 2 * 4 * 8, _ => 30 };
            Assert.Equal(calls, secured.GetProperty("memories").GetInt32());
            Assert.True(rows[$"tls off: {name}"].GetProperty("per_second").GetDouble() > 0, name);
        }

        Assert.True(report.RootElement.TryGetProperty("within_target", out _));

        await using var postgres = NpgsqlDataSource.Create(silo.Environment["MEMSYNC_Postgres__ConnectionString"]);
        await using var schemas = postgres.CreateCommand("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'memsync_bench_tls%'");
        Assert.Equal(0L, (long)(await schemas.ExecuteScalarAsync())!);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(silo.Environment["MEMSYNC_Redis__ConnectionString"]);
        var server = redis.GetServers()[0];
        Assert.Empty(server.Keys(pattern: "memsync-bench-tls-*"));
        Assert.Empty(server.Keys(pattern: "*/members/memsync-bench-tls-*"));
    }

    [Theory]
    [InlineData("--rounds", "0", "--rounds")]
    [InlineData("--silo-program", "/nonexistent/MemorySync.Silo.dll", "--silo-program")]
    public async Task BenchTls_RefusesBadInput_NamingIt(string option, string value, string named)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, "bench", "tls", option, value);
        Assert.Equal(2, await cli.WaitForExitAsync(Deadline));
        Assert.Contains(named, cli.Error, StringComparison.Ordinal);
    }
}
