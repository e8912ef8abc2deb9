using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync history ID</c>: every version PostgreSQL kept, tombstones included.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "Memory id" };
        var command = new Command("history", "Show every version of a memory") { id };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var memoryId = parse.GetValue(id)!;
            var history = await client.HistoryAsync(memoryId);
            if (history.Count == 0)
            {
                return await context.FailAsync(CliContext.ExitNotFound, $"memory {memoryId} not found");
            }

            var human = string.Join(Environment.NewLine, history.Select(entry =>
                $"v{entry.Version} {entry.CreatedAt:u} {(entry.Deleted ? "DELETED" : entry.Content)}"));
            return await context.PrintAsync(parse, MemoryDocuments.Write(MemoryDocuments.History(history)), human);
        }, cancellationToken));
        return command;
    }
}
