using System.Text.Json.Nodes;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Api;

/// <summary><c>memsync keys create|list|revoke</c>, the real program against the real silo.</summary>
[Collection(AgentApiCollection.Name)]
public sealed class KeysCliTests(AgentApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KeysCreate_PrintsTheKeyOnce_ListShowsNoSecret_AndRevokeEndsIt()
    {
        var created = JsonNode.Parse(await RunAsync(0, "keys", "create", "--agent", api.AgentA, "--scope", "write", "--expires", "30d", "--rate", "50", "--json"))!;
        var keyId = created["key_id"]!.GetValue<string>();
        var key = created["key"]!.GetValue<string>();
        Assert.StartsWith($"msk_{keyId}_", key, StringComparison.Ordinal);
        Assert.Equal([api.AgentA], created["agents"]!.AsArray().Select(agent => agent!.GetValue<string>()));
        Assert.Equal(["read", "write"], created["scopes"]!.AsArray().Select(scope => scope!.GetValue<string>()));
        Assert.Equal(50, created["requests_per_second"]!.GetValue<int>());
        var expires = created["expires_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        Assert.Equal(200, (await api.WithToken(key).PutAsync($"cli-key-{Guid.NewGuid():N}", new { content = "written with a CLI key" })).Code);

        var list = await RunAsync(0, "keys", "list", "--json");
        var listed = JsonNode.Parse(list)!.AsArray().Single(entry => entry!["key_id"]!.GetValue<string>() == keyId)!;
        Assert.Null(listed["revoked_at"]);
        Assert.DoesNotContain(key.Split('_', 3)[2], list, StringComparison.Ordinal);
        Assert.Null(listed["key"]);

        await RunAsync(0, "keys", "revoke", keyId);
        await Eventually.ReturnsAsync(() => api.WithToken(key).GetAsync("/v1/conflicts"), answer => answer.Code == 401, Deadline, "refusing the revoked key");
        await RunAsync(4, "keys", "revoke", "knosuchkey00");
    }

    [Theory]
    [InlineData("--scope", "owner")]
    [InlineData("--expires", "soon")]
    [InlineData("--expires", "-3d")]
    [InlineData("--rate", "0")]
    public async Task KeysCreate_WithABadValue_Exits2NamingIt_AndMakesNoKey(string option, string value)
    {
        var before = (await api.Client.Operations.ListKeysAsync()).Count;
        // The rate is checked by the silo, and named there as "rate".
        string[] arguments = option == "--scope"
            ? ["keys", "create", "--agent", api.AgentA, "--scope", value]
            : ["keys", "create", "--agent", api.AgentA, "--scope", "read", option, value];
        await using var process = DotnetProcess.Start(RepoPaths.CliDll, api.Environment, arguments);

        Assert.Equal(2, await process.WaitForExitAsync(Deadline));
        Assert.Contains(option.TrimStart('-'), process.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("msk_", process.Output + process.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await api.Client.Operations.ListKeysAsync()).Count);
    }

    private async Task<string> RunAsync(int expectedExit, params string[] arguments)
    {
        await using var process = DotnetProcess.Start(RepoPaths.CliDll, api.Environment, arguments);
        var exit = await process.WaitForExitAsync(Deadline);
        Assert.True(exit == expectedExit, $"memsync {string.Join(' ', arguments)} exited {exit}, not {expectedExit}: {process.Error}");
        return process.Output;
    }
}
