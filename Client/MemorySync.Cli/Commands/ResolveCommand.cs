using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync resolve ID (--keep current|incoming | --content TEXT)</c>: settles a Manual conflict.</summary>
internal static class ResolveCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "Memory id" };
        var keep = new Option<string?>("--keep") { Description = "current or incoming" };
        var content = new Option<string?>("--content") { Description = "New content that replaces both sides" };
        var command = new Command("resolve", "Resolve a memory's conflict; all three stores take the result") { id, keep, content };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var keepValue = parse.GetValue(keep);
            var contentValue = parse.GetValue(content);
            var choice = (keepValue, contentValue) switch
            {
                ("current", null) => ConflictChoice.KeepCurrent,
                ("incoming", null) => ConflictChoice.KeepIncoming,
                (null, not null) => ConflictChoice.NewContent,
                _ => throw new CliInputException("give either --keep current|incoming or --content TEXT"),
            };
            var record = await client.ResolveAsync(parse.GetValue(id)!, choice, contentValue);
            return await context.PrintAsync(parse, MemoryDocuments.Write(MemoryDocuments.Memory(record)),
                $"resolved {record.MemoryId}: version {record.Version} in every store");
        }, cancellationToken));
        return command;
    }
}
