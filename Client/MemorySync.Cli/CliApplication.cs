using System.CommandLine;
using MemorySync.Cli.Commands;

namespace MemorySync.Cli;

/// <summary>The memsync command line: every command takes --json; errors go to stderr with a non-zero exit code.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("memsync: MemorySync's command line for agent hosts and operators");
        root.Options.Add(CliContext.JsonOption);
        root.Subcommands.Add(PutCommand.Create(context));
        root.Subcommands.Add(GetCommand.Create(context));
        root.Subcommands.Add(DeleteCommand.Create(context));
        root.Subcommands.Add(HistoryCommand.Create(context));
        root.Subcommands.Add(SearchCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        root.Subcommands.Add(ConflictsCommand.Create(context));
        root.Subcommands.Add(ResolveCommand.Create(context));
        root.Subcommands.Add(StatsCommand.Create(context));
        root.Subcommands.Add(HealthCommand.Create(context));
        root.Subcommands.Add(OutboxCommand.Create(context));
        root.Subcommands.Add(CheckCommand.Create(context));
        root.Subcommands.Add(RepairCommand.Create(context));
        root.Subcommands.Add(ReindexCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(DemoDataCommand.Create(context));
        if (InvalidUtf8Arguments.Describe() is { } invalid)
        {
            return await context.FailAsync(CliContext.ExitInvalidInput, invalid);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A value the command line cannot even parse is bad input like any other: its own exit code and one line per
            // error on stderr, never the help text on stdout, where a --json caller expects a document.
            foreach (var parseError in parse.Errors)
            {
                // Its suggestions come one per line ("Did you mean one of the following?"): one line per error all the same.
                var message = string.Join(' ', parseError.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await context.Error.WriteLineAsync($"error: {message}");
            }

            return CliContext.ExitInvalidInput;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parse.InvokeAsync(configuration);
    }
}
