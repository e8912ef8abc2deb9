using System.Text.Json.Nodes;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Stack;

/// <summary>
/// An auditor's pass over the test stack and a real silo: every file of .stack/NAME that holds a secret is its owner's
/// alone, and no secret (store passwords, an API key made here) shows in the silo's whole log or its /health and
/// /status.json answers.
/// </summary>
// File modes and /proc are Linux facts; the stack runs on Linux only.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(RunningSiloCollection.Name)]
public sealed class SecretsAuditTests(RunningSiloFixture silo)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersAndGroup = (UnixFileMode)0b000_111_111;

    // The state folder's secrets by name; private keys (tls/*.key) are found by their extension.
    private static readonly string[] SecretFiles =
        ["postgres-password", "postgres-admin-password", "redis-password", "redis-client-password", "pgpass", "env", "demo-api-key"];

    [Fact]
    public void EverySecretFile_IsModeSixHundred_InAFolderNobodyElseMayList()
    {
        var state = TestStack.StateDirectory;
        var secrets = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)
            .Where(file => SecretFiles.Contains(Path.GetFileName(file)) || file.EndsWith(".key", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(Path.Combine(state, "redis-password"), secrets);
        Assert.Contains(Path.Combine(state, "postgres-password"), secrets);
        Assert.Contains(Path.Combine(state, "env"), secrets);

        Assert.All(secrets, file => Assert.True(File.GetUnixFileMode(file) == OwnerOnly,
            $"{file} is mode {Convert.ToString((int)File.GetUnixFileMode(file), 8)}, not 600"));
        foreach (var folder in secrets.Select(Path.GetDirectoryName).Distinct().Append(Path.GetDirectoryName(state)))
        {
            var readable = File.GetUnixFileMode(folder!) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
            Assert.True(readable == 0, $"{folder} may be listed or written by others (mode {Convert.ToString((int)File.GetUnixFileMode(folder!), 8)})");
        }

        // The servers' own folders, with their data and the ACL file's password hashes, are their owners' alone.
        foreach (var location in new[] { "redis-location", "pg-location" })
        {
            var home = File.ReadAllText(Path.Combine(state, location)).Trim();
            Assert.True((File.GetUnixFileMode(home) & OthersAndGroup) == 0, $"{home} is open to others");
        }
    }

    [Fact]
    public async Task TheSilosLogAndAnswers_ContainNoSecret()
    {
        var created = JsonNode.Parse(await RunCliAsync("keys", "create", "--agent", $"audit-{Guid.NewGuid():N}", "--scope", "write", "--json"))!;
        var agentKey = created["key"]!.GetValue<string>();
        var admin = JsonNode.Parse(await RunCliAsync("keys", "create", "--scope", "admin", "--json"))!["key"]!.GetValue<string>();

        using var health = await silo.Http.GetAsync("/health");
        var healthText = await health.Content.ReadAsStringAsync();
        using var status = new HttpRequestMessage(HttpMethod.Get, "/status.json");
        status.Headers.TryAddWithoutValidation("Authorization", $"Bearer {admin}");
        using var statusAnswer = await silo.Http.SendAsync(status);
        var statusText = await statusAnswer.Content.ReadAsStringAsync();
        Assert.True(statusAnswer.IsSuccessStatusCode, $"/status.json with an admin key answered {(int)statusAnswer.StatusCode}: {statusText}");
        Assert.NotNull(JsonNode.Parse(statusText));

        var secrets = new Dictionary<string, string>
        {
            ["the agent's API key"] = agentKey,
            ["the agent key's secret part"] = agentKey[$"msk_{created["key_id"]!.GetValue<string>()}_".Length..],
            ["the admin API key"] = admin,
        };
        foreach (var name in new[] { "postgres-password", "postgres-admin-password", "redis-password", "redis-client-password" })
        {
            secrets[name] = (await File.ReadAllTextAsync(Path.Combine(TestStack.StateDirectory, name))).Trim();
        }

        // The silo's whole log: everything the process wrote to stdout and stderr since it started.
        var answers = new Dictionary<string, string>
        {
            ["the silo's log"] = silo.Silo.Output + silo.Silo.Error,
            ["/health"] = healthText,
            ["/status.json"] = statusText,
        };
        Assert.NotEmpty(answers["the silo's log"]);
        foreach (var (where, text) in answers)
        {
            foreach (var (secret, value) in secrets)
            {
                Assert.True(value.Length >= 16 && !text.Contains(value, StringComparison.Ordinal), $"{where} shows {secret}: ...{Around(text, value)}...");
            }
        }
    }

    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.Ordinal);
        return at < 0 ? string.Empty : text[Math.Max(0, at - 300)..Math.Min(text.Length, at + value.Length + 100)];
    }

    private async Task<string> RunCliAsync(params string[] arguments)
    {
        await using var process = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, $"memsync {string.Join(' ', arguments)} exited {exit}: {process.Error}");
        return process.Output;
    }
}
