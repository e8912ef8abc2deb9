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
            var json = new JsonArray(conflicts.Select(conflict => (JsonNode?)new JsonObject
            {
                ["conflict_id"] = conflict.ConflictId,
                ["memory_id"] = conflict.MemoryId,
                ["strategy"] = conflict.Strategy,
                ["current_version"] = conflict.CurrentVersion,
                ["incoming_base_version"] = conflict.IncomingVersion,
                ["current"] = Side(conflict.CurrentJson),
                ["incoming"] = Side(conflict.IncomingJson),
                ["reason"] = conflict.Reason,
                ["created_at"] = conflict.CreatedAt,
            }).ToArray());
            var human = conflicts.Count == 0
                ? "no open conflicts"
                : string.Join(Environment.NewLine, conflicts.Select(conflict =>
                    $"{conflict.MemoryId} (v{conflict.CurrentVersion}): current \"{Content(conflict.CurrentJson)}\" vs incoming \"{Content(conflict.IncomingJson)}\""));
            return await context.PrintAsync(parse, MemoryDocuments.Write(json), human);
        }, cancellationToken));
        return command;
    }

    // The stored sides carry their vectors; the listing shows what a person decides on.
    private static JsonNode? Side(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var side = JsonNode.Parse(json)!.AsObject();
        side.Remove("embedding");
        return side;
    }

    private static string Content(string? json) => json is null ? string.Empty : JsonNode.Parse(json)?["content"]?.GetValue<string>() ?? string.Empty;
}
