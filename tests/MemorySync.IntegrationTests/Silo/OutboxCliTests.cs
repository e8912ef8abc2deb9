using System.Globalization;
using System.Text.Json;
using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary><c>memsync outbox</c> and <c>memsync outbox retry</c>, the real program against a real silo process.</summary>
[Collection(RunningSiloCollection.Name)]
public sealed class OutboxCliTests(RunningSiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task OutboxRetry_RequeuesTheNamedStoresDeadLetters_ClosesThoseAlreadyApplied_AndPrintsTheCounts()
    {
        var behind = $"cliretry-{Guid.NewGuid():N}";
        var applied = $"cliapplied-{Guid.NewGuid():N}";
        await using var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        await client.UpsertAsync(new MemoryWrite(behind, "Retried by an operator.", Embedding: TestVectors.Unit(new Random(41))));
        await client.UpsertAsync(new MemoryWrite(applied, "Already in FAISS.", Embedding: TestVectors.Unit(new Random(42))));
        // Dead rows as a long outage leaves them: one whose store (by PostgreSQL's record) never took the version, one whose store did.
        await ExecuteAsync($$"""
            UPDATE sync_queue SET status = 'dead', attempts = 10, completed_at = NULL, last_attempt_at = now() - interval '1 second'
            WHERE (memory_id = '{{behind}}' AND store = 'redis') OR (memory_id = '{{applied}}' AND store = 'faiss');
            UPDATE episodic_memory SET store_versions = jsonb_set(store_versions, '{redis}', '0') WHERE memory_id = '{{behind}}'
            """);

        using var before = await RunJsonAsync("outbox", "--json");
        Assert.Equal(2, before.RootElement.GetProperty("dead").GetInt64());

        using var redis = await RunJsonAsync("outbox", "retry", "--store", "redis", "--json");
        Assert.Equal(("redis", 1L, 0L), Counts(redis));
        Assert.Equal("dead", await RowStatusAsync(applied, "faiss"));
        await Eventually.ReturnsAsync(() => RowStatusAsync(behind, "redis"), status => status == "done", Deadline, "the re-queued Redis row synced");
        Assert.Equal("1", await silo.Database.ScalarAsync<string>($"SELECT store_versions ->> 'redis' FROM episodic_memory WHERE memory_id = '{behind}'"));

        using var all = await RunJsonAsync("outbox", "retry", "--json");
        Assert.Equal(("all", 0L, 1L), Counts(all));
        Assert.Equal("done", await RowStatusAsync(applied, "faiss"));
        using var after = await RunJsonAsync("outbox", "--json");
        Assert.Equal(0, after.RootElement.GetProperty("dead").GetInt64());
    }

    [Fact]
    public async Task OutboxRetry_ForAnUnknownStore_Exits2NamingTheOption()
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, "outbox", "retry", "--store", "postgres", "--json");
        Assert.Equal(2, await cli.WaitForExitAsync(Deadline));
        Assert.Contains("--store", cli.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Output.Trim());
    }

    private static (string?, long, long) Counts(JsonDocument result) =>
        (result.RootElement.GetProperty("store").GetString(), result.RootElement.GetProperty("requeued").GetInt64(),
            result.RootElement.GetProperty("completed").GetInt64());

    private async Task ExecuteAsync(string sql)
    {
        await using var command = silo.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> RowStatusAsync(string id, string store) =>
        await silo.Database.ScalarAsync<string>($"SELECT status FROM sync_queue WHERE memory_id = '{id}' AND store = '{store}'");

    private async Task<JsonDocument> RunJsonAsync(params string[] arguments)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync {string.Join(' ', arguments)} exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        return JsonDocument.Parse(cli.Output);
    }
}
