using System.Globalization;
using System.Text.Json;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Import;

/// <summary>
/// memsync import against a real silo whose PostgreSQL goes away: it retries, stores every line once, says per line
/// what became of it, and --resume adds no second version of what is already stored.
/// </summary>
public sealed class ResilientImportTests(ImportFixture silo) : IClassFixture<ImportFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PostgresRestartedDuringTheImport_EveryLineIsStoredOnce_AtVersionOne()
    {
        var prefix = $"imprestart-{Guid.NewGuid():N}"[..20];
        var file = await WriteFileAsync(prefix, 300);
        try
        {
            await silo.Postgres.StopAsync();
            var restarted = false;
            try
            {
                await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment,
                    "import", file, "--attempts", "20", "--retry-pause", "1s", "--json");
                // The import says when it waits for a retry: the outage has reached it, and PostgreSQL may come back.
                await Eventually.ReturnsAsync(() => Task.FromResult(cli.Error), error => error.Contains("retrying in", StringComparison.Ordinal),
                    Deadline, "the import retries a batch");
                await silo.Postgres.StartAsync();
                restarted = true;

                var exitCode = await cli.WaitForExitAsync(Deadline);

                Assert.True(exitCode == 0, $"import exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
                using var summary = JsonDocument.Parse(cli.Output);
                Assert.Equal(300, summary.RootElement.GetProperty("synced").GetInt32());
                Assert.Equal(0, summary.RootElement.GetProperty("failed").GetInt32());
            }
            finally
            {
                if (!restarted)
                {
                    await silo.Postgres.StartAsync();
                }
            }

            var versions = await silo.VersionsAsync(prefix);
            Assert.Equal(300, versions.Count);
            Assert.All(versions.Values, stored => Assert.Equal([1L], stored));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ResumeAfterAPartialImport_StoresOnlyTheRest_AndWritesNothingTwice()
    {
        var prefix = $"impresume-{Guid.NewGuid():N}"[..20];
        var whole = await WriteFileAsync(prefix, 40);
        var firstPart = Path.ChangeExtension(whole, ".part.jsonl");
        var report = Path.ChangeExtension(whole, ".report.jsonl");
        await File.WriteAllLinesAsync(firstPart, (await File.ReadAllLinesAsync(whole)).Take(25));
        try
        {
            using (var partial = await ImportAsync(0, "import", firstPart, "--json"))
            {
                Assert.Equal(25, partial.RootElement.GetProperty("synced").GetInt32());
            }

            using var resumed = await ImportAsync(0, "import", whole, "--resume", "--report", report, "--json");

            Assert.Equal(15, resumed.RootElement.GetProperty("synced").GetInt32());
            Assert.Equal(25, resumed.RootElement.GetProperty("unchanged").GetInt32());
            var versions = await silo.VersionsAsync(prefix);
            Assert.Equal(40, versions.Count);
            Assert.All(versions.Values, stored => Assert.Equal([1L], stored));
            var lines = (await File.ReadAllLinesAsync(report)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.Equal(Enumerable.Range(1, 40), lines.Select(line => line.GetProperty("line").GetInt32()));
            Assert.Equal(Enumerable.Repeat("unchanged", 25).Concat(Enumerable.Repeat("stored", 15)), lines.Select(line => line.GetProperty("status").GetString()));
        }
        finally
        {
            File.Delete(whole);
            File.Delete(firstPart);
            File.Delete(report);
        }
    }

    [Fact]
    public async Task ALineThatNeverGetsThrough_IsReportedAndTheExitCodeIsNonZero()
    {
        var prefix = $"impfail-{Guid.NewGuid():N}"[..20];
        var file = await WriteFileAsync(prefix, 5);
        await silo.Postgres.StopAsync();
        try
        {
            using var summary = await ImportAsync(3, "import", file, "--attempts", "2", "--retry-pause", "1s", "--json");

            Assert.Equal(0, summary.RootElement.GetProperty("synced").GetInt32());
            var errors = summary.RootElement.GetProperty("errors").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, 5), errors.Select(error => error.GetProperty("line").GetInt32()));
            Assert.All(errors, error => Assert.StartsWith("not stored after 2 attempts: ", error.GetProperty("error").GetString(), StringComparison.Ordinal));
        }
        finally
        {
            await silo.Postgres.StartAsync();
            File.Delete(file);
        }

        Assert.Empty(await silo.VersionsAsync(prefix));
    }

    private async Task<JsonDocument> ImportAsync(int expectedExit, params string[] arguments)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == expectedExit, $"memsync {string.Join(' ', arguments)} exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        return JsonDocument.Parse(cli.Output);
    }

    private static async Task<string> WriteFileAsync(string prefix, int count)
    {
        var random = new Random(count);
        var file = Path.Combine(Path.GetTempPath(), $"{prefix}.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["memory_id"] = $"{prefix}-{i}",
            ["content"] = $"Imported memory {i} of {prefix}.",
            ["metadata"] = new Dictionary<string, int> { ["i"] = i },
            ["embedding"] = TestVectors.Unit(random),
        })));
        return file;
    }
}
