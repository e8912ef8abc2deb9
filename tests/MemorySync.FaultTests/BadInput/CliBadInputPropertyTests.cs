using System.Text.Json;
using CsCheck;
using MemorySync.FaultTests.Cluster;
using MemorySync.Testing;

namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// Random bad input through the memsync program itself, as an agent host or an operator would type or feed it: each
/// run exits with the bad-input code, says on stderr (or in its JSON errors, for an import) what is wrong, prints no
/// half document, and every store holds exactly what it held before.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(FaultClusterCollection.Name)]
public sealed class CliBadInputPropertyTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int ExitInvalidInput = 2;

    // Each sample starts a CLI process (about a second): fewer samples than the client API's test, same generators.
    private const int PutSamples = 40;

    private const int ImportSamples = 10;

    private Dictionary<string, string> CliEnvironment => new()
    {
        ["MEMSYNC_Redis__ConnectionString"] = cluster.Redis.ConnectionString,
        ["MEMSYNC_Cluster__ClusterId"] = cluster.ClusterId,
    };

    [Fact]
    public async Task BadPut_ExitsWithInvalidInput_SayingWhatIsWrong_AndLeavesEveryStoreUnchanged()
    {
        await using var stores = await cluster.StoresAtRestAsync();

        await BadCliPuts.Any.SampleAsync(async bad =>
        {
            var run = await CliProcess.RunAsync(CliEnvironment, bad.Arguments);

            Assert.True(run.ExitCode == ExitInvalidInput, $"exit {run.ExitCode}; stderr: {run.Error}");
            Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
            Assert.Contains(bad.Expected, run.Error, StringComparison.Ordinal);
            // --json was asked for: stdout holds a document or nothing, never help text or a partial record.
            Assert.Equal(string.Empty, run.Output);
            await stores.AssertUnchangedAsync(bad);
        }, output.WriteLine, iter: PutSamples, threads: 1);
    }

    [Fact]
    public async Task ImportOfBadLines_ReportsEachLineOrMemory_ExitsWithInvalidInput_AndLeavesEveryStoreUnchanged()
    {
        await using var stores = await cluster.StoresAtRestAsync();

        await BadImportLines.Any.Array[1, 6].SampleAsync(async lines =>
        {
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllBytesAsync(file, [.. lines.SelectMany(line => line.Bytes.Append((byte)'\n'))]);
                var run = await CliProcess.RunAsync(CliEnvironment, "import", file, "--json");

                Assert.True(run.ExitCode == ExitInvalidInput, $"exit {run.ExitCode}; stderr: {run.Error}");
                using var result = JsonDocument.Parse(run.Output);
                Assert.Equal(0, result.RootElement.GetProperty("synced").GetInt32());
                Assert.Equal(lines.Length, result.RootElement.GetProperty("failed").GetInt32());
                var errors = result.RootElement.GetProperty("errors").EnumerateArray()
                    .Select(error => (MemoryId: error.GetProperty("memory_id").GetString()!, Error: error.GetProperty("error").GetString()!))
                    .ToList();
                for (var i = 0; i < lines.Length; i++)
                {
                    var line = lines[i];
                    var memoryId = line.MemoryId ?? $"line {i + 1}";
                    var error = Assert.Single(errors, error => error.MemoryId == memoryId);
                    Assert.True(line.MemoryId is null ? error.Error.Contains(line.Expected, StringComparison.Ordinal) : error.Error.StartsWith(line.Expected, StringComparison.Ordinal),
                        $"line {i + 1} ({line}): expected '{line.Expected}', got '{error.Error}'");
                }
            }
            finally
            {
                File.Delete(file);
            }

            await stores.AssertUnchangedAsync(string.Join("; ", lines.Select(line => line.Description)));
        }, output.WriteLine, iter: ImportSamples, threads: 1);
    }
}
