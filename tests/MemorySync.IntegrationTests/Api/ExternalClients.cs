using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Api;

/// <summary>The real clients of other languages in tests/clients (installed by ./test.sh with npm ci), run as processes.</summary>
internal static class ExternalClients
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "clients");

    /// <summary>Runs a script of tests/clients with node or python3 and returns its last stdout line, or fails with what it printed.</summary>
    public static async Task<string> RunAsync(string program, string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        if (program == "node" && !Directory.Exists(Path.Combine(Folder, "node_modules", "@modelcontextprotocol")))
        {
            throw new InvalidOperationException($"the npm packages of {Folder} are not installed: run 'npm ci' there (./test.sh does)");
        }

        await using var process = DotnetProcess.StartProgram(program, environment, [Path.Combine(Folder, script), .. arguments]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"{program} {script} exited {exit}: {process.Error}{process.Output}");
        return process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }
}
