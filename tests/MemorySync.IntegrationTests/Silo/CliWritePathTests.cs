using System.Globalization;
using System.Text.Json;
using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>The memsync program against a real silo process: the CLI contract of DESIGN.md section 9.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(RunningSiloCollection.Name)]
public sealed class CliWritePathTests(RunningSiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PutGetHistorySearchDelete_FollowTheContract()
    {
        var id = $"cli-{Guid.NewGuid():N}";
        var agent = $"cliagent{Guid.NewGuid():N}"[..20];

        using var put = await RunJsonAsync("put", "--id", id, "--content", "The user's dog Bruno loves long walks in the park.",
            "--type", "semantic", "--importance", "0.8", "--metadata", """{"topic":"pets"}""", "--agent", agent, "--json");
        var stored = put.RootElement;
        Assert.Equal(id, stored.GetProperty("memory_id").GetString());
        Assert.Equal(1, stored.GetProperty("version").GetInt64());
        Assert.Equal("pets", stored.GetProperty("metadata").GetProperty("topic").GetString());
        Assert.Equal(1, stored.GetProperty("store_versions").GetProperty("faiss").GetInt64());

        using var get = await RunJsonAsync("get", id, "--json");
        var fields = get.RootElement.EnumerateObject().Select(property => property.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "memory_id", "agent_id", "content", "memory_type", "importance", "metadata", "version",
            "checksum", "last_modified", "version_vector", "store_versions" }, fields);
        Assert.Equal(stored.GetProperty("checksum").GetString(), get.RootElement.GetProperty("checksum").GetString());

        using var search = await RunJsonAsync("search", "--text", "Which pet does the user have?", "-k", "1", "--agent", agent, "--json");
        var hit = Assert.Single(search.RootElement.EnumerateArray());
        Assert.Equal(id, hit.GetProperty("memory_id").GetString());
        Assert.True(hit.TryGetProperty("score", out _));
        Assert.Contains("Bruno", hit.GetProperty("content").GetString(), StringComparison.Ordinal);

        using var deleted = await RunJsonAsync("delete", id, "--json");
        Assert.True(deleted.RootElement.GetProperty("deleted").GetBoolean());

        using var history = await RunJsonAsync("history", id, "--json");
        Assert.Equal([1L, 2L], history.RootElement.EnumerateArray().Select(entry => entry.GetProperty("version").GetInt64()));

        using var stats = await RunJsonAsync("stats", "--json");
        Assert.True(stats.RootElement.GetProperty("total_memories").GetInt64() >= 1);
        Assert.Equal(0, stats.RootElement.GetProperty("dead_syncs").GetInt64());
        Assert.True(stats.RootElement.GetProperty("committed_transactions").GetInt64() >= 2);

        await using var gone = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, "get", id, "--json");
        Assert.Equal(4, await gone.WaitForExitAsync(Deadline));
        Assert.Contains($"memory {id} not found", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManualConflict_IsListedByTheCli_AndResolvedIntoAllThreeStores()
    {
        var id = $"cliconflict-{Guid.NewGuid():N}";
        (await RunJsonAsync("put", "--id", id, "--content", "The meeting is on Monday.", "--json")).Dispose();
        (await RunJsonAsync("put", "--id", id, "--content", "The meeting moved to Tuesday.", "--base-version", "1", "--json")).Dispose();

        using var flagged = await RunJsonAsync("put", "--id", id, "--content", "The meeting is on Wednesday.", "--base-version", "1",
            "--strategy", "Manual", "--json");
        Assert.True(flagged.RootElement.GetProperty("conflicted").GetBoolean());

        using var conflicts = await RunJsonAsync("conflicts", "--json");
        var listed = Assert.Single(conflicts.RootElement.EnumerateArray(), conflict => conflict.GetProperty("memory_id").GetString() == id);
        Assert.Equal("The meeting moved to Tuesday.", listed.GetProperty("current").GetProperty("content").GetString());
        Assert.Equal("The meeting is on Wednesday.", listed.GetProperty("incoming").GetProperty("content").GetString());

        using var resolved = await RunJsonAsync("resolve", id, "--keep", "incoming", "--json");
        Assert.Equal(3, resolved.RootElement.GetProperty("version").GetInt64());

        using var after = await RunJsonAsync("get", id, "--json");
        Assert.False(after.RootElement.GetProperty("conflicted").GetBoolean());
        Assert.Equal("The meeting is on Wednesday.", after.RootElement.GetProperty("content").GetString());
        var stores = after.RootElement.GetProperty("store_versions");
        Assert.Equal([3L, 3L, 3L], new[] { "redis", "postgres", "faiss" }.Select(store => stores.GetProperty(store).GetInt64()));
        using var remaining = await RunJsonAsync("conflicts", "--json");
        Assert.DoesNotContain(remaining.RootElement.EnumerateArray(), conflict => conflict.GetProperty("memory_id").GetString() == id);
    }

    // One wrong value each; the rest of the put is valid. The line must name what to fix (the field, or the option the
    // command line could not read).
    [Theory]
    [InlineData("error: importance: 7 is not a number in [0, 1]", "--importance", "7")]
    [InlineData("error: importance: ", "--importance", "NaN")]
    [InlineData("error: Cannot parse argument 'abc' for option '--importance'", "--importance", "abc")]
    [InlineData("error: embedding: ", "--embedding", "0.1,0.2")]
    [InlineData("error: --embedding: value 1 ('x') is not a number", "--embedding", "1,x")]
    [InlineData("error: memory_type: ", "--type", "dream")]
    [InlineData("error: metadata: ", "--metadata", "[1,2]")]
    [InlineData("error: metadata: ", "--metadata", "{\"a\":")]
    [InlineData("error: agent_id: ", "--agent", "x;DROP TABLE episodic_memory")]
    [InlineData("error: content: ", "--content", " \t ")]
    [InlineData("error: --strategy: 'Foo' is not one of LatestWins, Merge, VersionVector, Manual", "--strategy", "Foo")]
    [InlineData("error: --strategy: 'LatestWins,Merge' is not one of", "--strategy", "LatestWins,Merge")]
    [InlineData("error: --strategy: '3' is not one of", "--strategy", "3")]
    [InlineData("error: base_version: -2 is negative", "--base-version", "-2")]
    public async Task Put_WithBadInput_ExitsWithInvalidInput_WithOneLineNamingWhatToFix(string expected, string option, string value)
    {
        var id = $"clibad-{Guid.NewGuid():N}";
        string[] arguments = ["put", "--id", id, "--content", "x", "--json"];
        var at = Array.IndexOf(arguments, option);
        arguments = at < 0 ? [.. arguments, option, value] : [.. arguments[..(at + 1)], value, .. arguments[(at + 2)..]];

        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exitCode = await cli.WaitForExitAsync(Deadline);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(cli.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Output.Trim());
        await using var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        Assert.Null(await client.GetAsync(id));
    }

    [Fact]
    public async Task Import_ReportsSyncedAndFailed_WithProgressOnStderr()
    {
        var prefix = $"imp-{Guid.NewGuid():N}"[..16];
        var random = new Random(12);
        var lines = Enumerable.Range(0, 60).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["memory_id"] = $"{prefix}-{i}",
            ["content"] = $"Imported memory {i}.",
            ["memory_type"] = MemoryTypes.All[i % 4],
            ["importance"] = 0.5,
            ["metadata"] = new Dictionary<string, int> { ["i"] = i },
            ["embedding"] = TestVectors.Unit(random),
        })).ToList();
        lines.Add("{ this is not json");
        lines.Add(JsonSerializer.Serialize(new { memory_id = $"{prefix}-bad", content = "x", memory_type = "dream" }));
        var file = Path.Combine(Path.GetTempPath(), $"{prefix}.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, "import", file, "--json");
            var exitCode = await cli.WaitForExitAsync(Deadline);

            Assert.Equal(2, exitCode);
            using var summary = JsonDocument.Parse(cli.Output);
            Assert.Equal(60, summary.RootElement.GetProperty("synced").GetInt32());
            Assert.Equal(2, summary.RootElement.GetProperty("failed").GetInt32());
            var errors = summary.RootElement.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("memory_id").GetString()).ToList();
            Assert.Contains("line 61", errors);
            Assert.Contains($"{prefix}-bad", errors);
            // 61 lines parsed as memories (the silo refused one of them); the broken line was never sent.
            Assert.Contains("61/61 memories", cli.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ClientUpsert_WithAnUnpairedSurrogate_IsRefusedBeforeSending()
    {
        var id = $"surrogate-{Guid.NewGuid():N}";
        await using var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions);

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            client.UpsertAsync(new MemoryWrite(id, "broken \uD800 text", Embedding: TestVectors.Unit(new Random(15)))));

        Assert.Equal("content", error.Field);
        Assert.Null(await client.GetAsync(id));
    }

    private async Task<JsonDocument> RunJsonAsync(params string[] arguments)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync {string.Join(' ', arguments)} exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        return JsonDocument.Parse(cli.Output);
    }
}
