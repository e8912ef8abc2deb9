using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync get ID</c>: the memory's current version with its sync fields.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "Memory id" };
        var command = new Command("get", "Show a memory") { id };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var memoryId = parse.GetValue(id)!;
            var record = await client.GetAsync(memoryId);
            if (record is null)
            {
                return await context.FailAsync(CliContext.ExitNotFound, $"memory {memoryId} not found");
            }

            var human = $"""
                {record.MemoryId} v{record.Version} [{record.MemoryType}, agent {record.AgentId}, importance {record.Importance}]
                {record.Content}
                metadata {record.MetadataJson}
                stores: redis v{record.StoreVersions.Redis}, postgres v{record.StoreVersions.Postgres}, faiss v{record.StoreVersions.Faiss}
                """;
            return await context.PrintAsync(parse, MemoryDocuments.Write(MemoryDocuments.Memory(record)), human);
        }, cancellationToken));
        return command;
    }
}
