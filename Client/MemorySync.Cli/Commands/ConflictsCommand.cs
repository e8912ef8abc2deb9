using System.CommandLine;
using System.Text.Json.Nodes;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync conflicts</c>: the Manual conflicts waiting for an operator, with both sides.</summary>
internal static class ConflictsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("conflicts", "List conflicts waiting for an operator");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var conflicts = await client.ListConflictsAsync();
            var json = MemoryDocuments.Conflicts(conflicts);
            var human = conflicts.Count == 0
                ? "no open conflicts"
                : string.Join(Environment.NewLine, conflicts.Select(conflict =>
                    $"{conflict.MemoryId} (v{conflict.CurrentVersion}): current \"{Content(conflict.CurrentJson)}\" vs incoming \"{Content(conflict.IncomingJson)}\""));
            return await context.PrintAsync(parse, MemoryDocuments.Write(json), human);
        }, cancellationToken));
        return command;
    }

    private static string Content(string? json) => json is null ? string.Empty : JsonNode.Parse(json)?["content"]?.GetValue<string>() ?? string.Empty;
}
