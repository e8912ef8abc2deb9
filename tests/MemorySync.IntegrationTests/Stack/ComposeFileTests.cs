using System.Diagnostics;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Stack;

/// <summary>docker-compose.yml as Debian's docker-compose reads it (config needs no engine): secrets from .env, loopback ports.</summary>
public sealed class ComposeFileTests
{
    private static string ComposeFile => Path.Combine(RepoPaths.Root, "docker-compose.yml");

    [Fact]
    public async Task Config_WithAnEnvFile_TakesEverySecretFromIt_AndPublishesOnLoopbackOnly()
    {
        var secrets = new Dictionary<string, string>
        {
            ["MEMSYNC_POSTGRES_PASSWORD"] = $"pg{Guid.NewGuid():N}",
            ["MEMSYNC_REDIS_PASSWORD"] = $"rs{Guid.NewGuid():N}",
            ["MEMSYNC_REDIS_CLIENT_PASSWORD"] = $"rc{Guid.NewGuid():N}",
        };
        var envFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(envFile, secrets.Select(secret => $"{secret.Key}={secret.Value}"));
            var (exitCode, output, error) = await ComposeConfigAsync(envFile);

            Assert.True(exitCode == 0, $"docker-compose config exited {exitCode}: {error}");
            foreach (var (name, value) in secrets)
            {
                Assert.True(output.Contains(value, StringComparison.Ordinal), $"{name} from the .env file is not used");
            }

            var published = PublishedPorts(output);
            Assert.NotEmpty(published);
            Assert.All(published, port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(envFile);
        }
    }

    [Fact]
    public async Task Config_WithoutTheSecrets_RefusesNamingTheMissingOne()
    {
        var envFile = Path.GetTempFileName();
        try
        {
            var (exitCode, _, error) = await ComposeConfigAsync(envFile);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("MEMSYNC_", error, StringComparison.Ordinal);
            Assert.Contains(".env", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(envFile);
        }
    }

    [Fact]
    public async Task TheFiles_HoldNoSecretLiteral_AndTheSiloImageIsNotRoot()
    {
        var compose = await File.ReadAllLinesAsync(ComposeFile);
        // Every line that names a password or a secret takes its value from the environment (.env).
        var secretLines = compose.Where(line => !line.TrimStart().StartsWith('#')
            && (line.Contains("PASSWORD:", StringComparison.Ordinal) || line.Contains("password=", StringComparison.OrdinalIgnoreCase)));
        Assert.All(secretLines, line => Assert.Contains("${MEMSYNC_", line, StringComparison.Ordinal));
        Assert.DoesNotContain(compose, line => line.Contains(":-", StringComparison.Ordinal) && line.Contains("PASSWORD", StringComparison.Ordinal));
        Assert.Contains(".env", await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, ".gitignore")));
        Assert.All((await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, ".env.example"))).Where(line => line.Contains('=') && !line.StartsWith('#')),
            line => Assert.EndsWith("=change-me", line, StringComparison.Ordinal));

        // The runtime stage (the last FROM) ends with an unprivileged user.
        var dockerfile = await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, "Silo", "Dockerfile"));
        var runtime = dockerfile.Skip(Array.FindLastIndex(dockerfile, line => line.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        var user = runtime.LastOrDefault(line => line.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        Assert.DoesNotContain(user["USER ".Length..].Trim(), new[] { "root", "0", "0:0" });
    }

    // The lines under each service's "ports:" in the normalized output: "127.0.0.1::8580/tcp" and the like.
    private static List<string> PublishedPorts(string config)
    {
        var ports = new List<string>();
        var lines = config.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "ports:")
            {
                continue;
            }

            var indent = lines[i].Length - lines[i].TrimStart().Length;
            for (var j = i + 1; j < lines.Length && lines[j].TrimStart().StartsWith("- ", StringComparison.Ordinal)
                                && lines[j].Length - lines[j].TrimStart().Length >= indent; j++)
            {
                ports.Add(lines[j].Trim()[2..].Trim('\'', '"'));
            }
        }

        return ports;
    }

    private static async Task<(int ExitCode, string Output, string Error)> ComposeConfigAsync(string envFile)
    {
        var start = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", ComposeFile, "--env-file", envFile, "config" })
        {
            start.ArgumentList.Add(argument);
        }

        // Only the .env file speaks: none of the run's own variables may fill a secret in.
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("MEMSYNC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
