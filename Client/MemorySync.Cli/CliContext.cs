using System.CommandLine;
using MemorySync.Client;
using MemorySync.Security;
using Microsoft.Extensions.Configuration;

namespace MemorySync.Cli;

/// <summary>What every command shares: the output streams, the --json switch and the connection to the cluster.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public const int ExitOk = 0;
    public const int ExitUnhealthy = 1;
    public const int ExitInvalidInput = 2;
    public const int ExitUnreachable = 3;
    public const int ExitNotFound = 4;
    public const int ExitConflict = 5;
    public const int ExitRefused = 6;

    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print one JSON document on stdout",
        Recursive = true,
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The MEMSYNC_* environment variables, as configuration (<c>Redis:ConnectionString</c>, ...).</summary>
    public static IConfiguration Settings { get; } = new ConfigurationBuilder().AddEnvironmentVariables(ClusterDefaults.EnvironmentPrefix).Build();

    /// <summary>Connects using MEMSYNC_* environment variables, else the local stack's defaults.</summary>
    public Task<MemorySyncClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var options = MemorySyncClientOptions.FromConfiguration(Settings);
        options.GatewayCacheFile ??= GatewayCachePath(options.ClusterId);
        return MemorySyncClient.ConnectAsync(options, cancellationToken);
    }

    // One file per cluster in the user's state folder (XDG): the next memsync finds the silos even while Redis is down.
    private static string GatewayCachePath(string clusterId)
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        var name = new string([.. clusterId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return Path.Combine(state, "memsync", $"gateways-{name}.txt");
    }

    /// <summary>Runs a command body, turning an unreachable cluster into a one-line error and exit code 3.</summary>
    public Task<int> RunAsync(Func<MemorySyncClient, Task<int>> body, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        await using var client = await ConnectAsync(cancellationToken);
        return await body(client);
    });

    /// <summary>
    /// Runs a command body that makes its own connections (<c>bench tls</c> starts its own silos), with the same
    /// one-line errors and exit codes as <see cref="RunAsync"/>.
    /// </summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ClusterUnreachableException exception)
        {
            return await FailAsync(ExitUnreachable, exception.Message);
        }
        catch (MemoryValidationException exception)
        {
            return await FailAsync(ExitInvalidInput, exception.Message);
        }
        catch (MemoryConflictException exception)
        {
            return await FailAsync(ExitConflict, exception.Message);
        }
        catch (StoreUnavailableException exception)
        {
            return await FailAsync(ExitUnreachable, exception.Message);
        }
        catch (StrictSyncException exception)
        {
            return await FailAsync(ExitConflict, exception.Message);
        }
        catch (CliInputException exception)
        {
            return await FailAsync(ExitInvalidInput, exception.Message);
        }
        catch (CallerNotAllowedException exception)
        {
            // The certificate's role does not allow the command (an agent's certificate asking for an operator's call).
            return await FailAsync(ExitRefused, exception.Message);
        }
        catch (CallInterruptedException exception)
        {
            // Its own message says what could not finish; the same command again shortly is expected to work.
            return await FailAsync(ExitUnreachable, $"{exception.Message} (retry the command)");
        }
        catch (TimeoutException exception)
        {
            // Orleans' messages carry pages of diagnostics: the first sentence says what did not answer.
            return await FailAsync(ExitUnreachable, $"the cluster did not answer in time: {FirstSentence(exception.Message)}");
        }
        catch (OrleansException exception)
        {
            return await FailAsync(ExitUnreachable, FirstSentence(exception.Message));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    /// <summary>One line on stderr, and the exit code to leave with.</summary>
    public async Task<int> FailAsync(int exitCode, string message)
    {
        await Error.WriteLineAsync($"error: {message}");
        return exitCode;
    }

    /// <summary>Prints a document: JSON with --json, else the human form.</summary>
    public async Task<int> PrintAsync(ParseResult parse, string json, string human)
    {
        await Output.WriteLineAsync(parse.GetValue(JsonOption) ? json : human);
        return ExitOk;
    }
}
