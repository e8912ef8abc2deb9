using System.CommandLine;
using System.Text.Json;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync repair [--from FILE]</c>: repairs what a check finds now, or what a saved <c>memsync check --json</c>
/// document lists (<c>-</c> reads stdin); prints {memory_id: true|false}. Exit 1 when any repair failed.
/// </summary>
internal static class RepairCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string?>("--from") { Description = "A {memory_id: [stores]} document from 'memsync check --json' (- for stdin)" };
        var command = new Command("repair", "Make Redis and FAISS agree with PostgreSQL again") { from };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var source = parse.GetValue(from);
            var inconsistencies = source is null ? await CheckCommand.CheckAsync(context, client) : await ReadAsync(source, cancellationToken);
            return await RepairAndPrintAsync(context, parse, client, inconsistencies);
        }, cancellationToken));
        return command;
    }

    public static async Task<int> RepairAndPrintAsync(CliContext context, ParseResult parse, Client.MemorySyncClient client,
        IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies)
    {
        var bar = new ProgressBar(context.Error, inconsistencies.Count, "memories");
        var results = await client.Operations.RepairInconsistenciesAsync(inconsistencies, new SynchronousProgress<int>(bar.Report));
        var failed = results.Where(pair => !pair.Value).Select(pair => pair.Key).ToList();
        var human = results.Count == 0
            ? "nothing to repair"
            : $"repaired {results.Count - failed.Count} of {results.Count} memories" +
              (failed.Count == 0 ? string.Empty : $"; not repaired: {string.Join(", ", failed.Take(20))}");
        await context.PrintAsync(parse, MemorySyncJson.Serialize(results), human);
        return failed.Count == 0 ? CliContext.ExitOk : CliContext.ExitUnhealthy;
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(string source, CancellationToken cancellationToken)
    {
        string text;
        if (source == "-")
        {
            text = await Console.In.ReadToEndAsync(cancellationToken);
        }
        else if (File.Exists(source))
        {
            text = await File.ReadAllTextAsync(source, cancellationToken);
        }
        else
        {
            throw new CliInputException($"{Path.GetFullPath(source)} does not exist");
        }

        try
        {
            var document = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(text)
                ?? throw new CliInputException("--from: expected a JSON object {memory_id: [stores]}, got null");
            return document.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)(pair.Value ?? []), StringComparer.Ordinal);
        }
        catch (JsonException exception)
        {
            throw new CliInputException($"--from: expected a JSON object {{memory_id: [stores]}} as 'memsync check --json' prints: {exception.Message}");
        }
    }
}
