using System.CommandLine;
using MemorySync.Client;
using Microsoft.Extensions.Configuration;

namespace MemorySync.Cli;

/// <summary>What every command shares: the output streams, the --json switch and the connection to the cluster.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public const int ExitOk = 0;
    public const int ExitUnhealthy = 1;
    public const int ExitUnreachable = 3;

    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print one JSON document on stdout",
        Recursive = true,
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Connects using MEMSYNC_* environment variables, else the local stack's defaults.</summary>
    public Task<MemorySyncClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(ClusterDefaults.EnvironmentPrefix).Build();
        return MemorySyncClient.ConnectAsync(MemorySyncClientOptions.FromConfiguration(configuration), cancellationToken);
    }

    /// <summary>Runs a command body, turning an unreachable cluster into a one-line error and exit code 3.</summary>
    public async Task<int> RunAsync(Func<MemorySyncClient, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await ConnectAsync(cancellationToken);
            return await body(client);
        }
        catch (ClusterUnreachableException exception)
        {
            await Error.WriteLineAsync($"error: {exception.Message}");
            return ExitUnreachable;
        }
    }
}
