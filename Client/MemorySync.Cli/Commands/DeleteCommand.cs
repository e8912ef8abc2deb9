using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync delete ID</c>: a versioned tombstone; the memory leaves Redis, FAISS and search results.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "Memory id" };
        var command = new Command("delete", "Delete a memory (its history stays in PostgreSQL)") { id };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var memoryId = parse.GetValue(id)!;
            var tombstone = await client.DeleteAsync(memoryId);
            if (tombstone is null)
            {
                return await context.FailAsync(CliContext.ExitNotFound, $"memory {memoryId} not found");
            }

            return await context.PrintAsync(parse, MemoryDocuments.Write(MemoryDocuments.Memory(tombstone)),
                $"deleted {tombstone.MemoryId} at version {tombstone.Version}");
        }, cancellationToken));
        return command;
    }
}
