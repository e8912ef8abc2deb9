using System.Globalization;
using System.Text.Json;
using MemorySync.FaultTests.Cluster;
using MemorySync.Testing;

namespace MemorySync.FaultTests.Import;

/// <summary>
/// memsync import, the real CLI process, while one silo of the two is killed under it: the import finishes on the
/// survivor with exit 0, and every line is stored exactly once. The batches in flight at the kill lose their replies
/// (or half their memories' silo); the import sends them again, and no memory gets a second version with the same
/// content, even where a write whose reply was lost had been stored.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Collection(FaultClusterCollection.Name)]
public sealed class ImportAcrossASiloKillTests(FaultCluster cluster, ITestOutputHelper output)
{
    // Twelve of the import's batches of 250: long enough that the kill lands in the middle of it.
    private const int Lines = 3000;

    private const int KilledSilo = FaultCluster.SiloCount - 1;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task SiloKilledDuringAnImport_TheImportFinishes_AndStoresEveryLineExactlyOnce()
    {
        await cluster.EnsureServingAsync();
        var prefix = $"impkill-{Guid.NewGuid():N}"[..20];
        var file = await WriteFileAsync(prefix);
        try
        {
            await using var cli = DotnetProcess.Start(RepoPaths.CliDll, CliEnvironment, "import", file, "--attempts", "20", "--retry-pause", "1s", "--json");
            // The first batches are in: the import is under way on both silos.
            var storedAtKill = await Eventually.ReturnsAsync(() => StoredAsync(prefix), stored => stored >= 500 || cli.HasExited, Deadline,
                "the import stores its first batches");
            Assert.False(cli.HasExited, $"the import ended before the kill: {cli.Error}");
            await cluster.KillSiloAsync(KilledSilo);

            var exitCode = await cli.WaitForExitAsync(Deadline);
            // What the import said while it waited out the failover: which batches it sent again, and why.
            output.WriteLine($"stored when the silo was killed: {storedAtKill}; import's stdout: {cli.Output}{Environment.NewLine}stderr:{Environment.NewLine}{cli.Error}");

            Assert.True(storedAtKill < Lines, "the import was over before the kill");
            Assert.True(exitCode == 0, $"import exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
            using var summary = JsonDocument.Parse(cli.Output);
            Assert.Equal(Lines, summary.RootElement.GetProperty("synced").GetInt32());
            Assert.Equal(0, summary.RootElement.GetProperty("failed").GetInt32());
            var versions = await VersionsAsync(prefix);
            Assert.Equal(Lines, versions.Count);
            var twice = versions.Where(pair => pair.Value.Count != 1).Select(pair => $"{pair.Key}: versions {string.Join(", ", pair.Value)}").ToList();
            Assert.True(twice.Count == 0, $"stored more than once: {string.Join("; ", twice.Take(10))}");
        }
        finally
        {
            File.Delete(file);
            await cluster.EnsureServingAsync();
        }
    }

    private Dictionary<string, string> CliEnvironment => new()
    {
        ["MEMSYNC_Redis__ConnectionString"] = cluster.Redis.ConnectionString,
        ["MEMSYNC_Cluster__ClusterId"] = cluster.ClusterId,
    };

    private async Task<int> StoredAsync(string prefix)
    {
        await using var command = cluster.Database.CreateCommand("SELECT count(*) FROM episodic_memory WHERE memory_id LIKE $1");
        command.Parameters.AddWithValue(prefix + "%");
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // Per memory, the versions PostgreSQL's history holds.
    private async Task<Dictionary<string, List<long>>> VersionsAsync(string prefix)
    {
        await using var command = cluster.Database.CreateCommand("SELECT memory_id, version FROM memory_versions WHERE memory_id LIKE $1 ORDER BY version");
        command.Parameters.AddWithValue(prefix + "%");
        var versions = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            (versions.TryGetValue(id, out var list) ? list : versions[id] = []).Add(reader.GetInt64(1));
        }

        return versions;
    }

    private static async Task<string> WriteFileAsync(string prefix)
    {
        var random = new Random(Lines);
        var file = Path.Combine(Path.GetTempPath(), $"{prefix}.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, Lines).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["memory_id"] = $"{prefix}-{i}",
            ["content"] = $"Imported memory {i} of {prefix}.",
            ["embedding"] = TestVectors.Unit(random),
        })));
        return file;
    }
}
