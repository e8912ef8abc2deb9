using System.CommandLine;
using MemorySync.Documents;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync conflicts</c>: the Manual conflicts waiting for an operator, with both sides.</summary>
internal static class ConflictsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("conflicts", "List conflicts waiting for an operator");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var conflicts = (await client.ListConflictsAsync()).Select(ConflictDocument.From).ToList();
            var human = conflicts.Count == 0
                ? "no open conflicts"
                : string.Join(Environment.NewLine, conflicts.Select(conflict =>
                    $"{conflict.MemoryId} (v{conflict.CurrentVersion}): current \"{ConflictDocument.ContentOf(conflict.Current)}\" vs incoming \"{ConflictDocument.ContentOf(conflict.Incoming)}\""));
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(conflicts), human);
        }, cancellationToken));
        return command;
    }
}
