using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync check [--repair]</c>: compares every memory across the three stores and prints {memory_id: [stores]};
/// with --repair it then repairs them and prints {memory_id: true|false}.
/// </summary>
internal static class CheckCommand
{
    private const int ListedInFull = 20;

    public static Command Create(CliContext context)
    {
        var repair = new Option<bool>("--repair") { Description = "Repair what the check finds, then print {memory_id: true|false}" };
        var command = new Command("check", "Find memories that differ between PostgreSQL, Redis and FAISS") { repair };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var found = await CheckAsync(context, client);
            if (!parse.GetValue(repair))
            {
                var human = found.Count == 0
                    ? "consistent: every store agrees with PostgreSQL"
                    : $"{found.Count} memories differ:" +
                      string.Concat(found.Take(ListedInFull).Select(pair => $"{Environment.NewLine}  {pair.Key}: {string.Join(", ", pair.Value)}")) +
                      (found.Count > ListedInFull ? $"{Environment.NewLine}  … and {found.Count - ListedInFull} more (--json lists all)" : string.Empty);
                return await context.PrintAsync(parse, MemorySyncJson.Serialize(found), human);
            }

            return await RepairCommand.RepairAndPrintAsync(context, parse, client, found);
        }, cancellationToken));
        return command;
    }

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckAsync(CliContext context, Client.MemorySyncClient client)
    {
        var layout = await client.Operations.GetLayoutAsync();
        var bar = new ProgressBar(context.Error, layout.ConsistencyPartitions, "partitions");
        return await client.Operations.CheckConsistencyAsync(new SynchronousProgress<int>(bar.Report));
    }
}
