using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync put --id ID --content TEXT [...]</c>: stores a memory, prints the stored version.</summary>
internal static class PutCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Option<string>("--id") { Description = "Memory id (A-Z a-z 0-9 . _ : -)", Required = true };
        var content = new Option<string>("--content") { Description = "The memory's text", Required = true };
        var type = new Option<string>("--type") { Description = "episodic, semantic, procedural or working", DefaultValueFactory = _ => MemoryTypes.Episodic };
        var importance = new Option<double>("--importance") { Description = "In [0, 1]", DefaultValueFactory = _ => 0.5 };
        var metadata = new Option<string?>("--metadata") { Description = "A JSON object" };
        var embedding = new Option<string?>("--embedding") { Description = "Comma-separated floats; omitted: the silo embeds the content" };
        var agent = new Option<string>("--agent") { Description = "The agent's namespace", DefaultValueFactory = _ => MemoryWrite.DefaultAgent };
        var baseVersion = new Option<long?>("--base-version") { Description = "The version this write is based on (omitted: a blind write)" };
        var strategy = new Option<ConflictStrategy?>("--strategy")
        {
            Description = "LatestWins, Merge, VersionVector or Manual, for this write",
            CustomParser = Arguments.StrategyName,
        };
        var strict = new Option<bool>("--strict") { Description = "All or nothing across the three stores" };
        var command = new Command("put", "Store a memory in PostgreSQL, Redis and FAISS")
        {
            id, content, type, importance, metadata, embedding, agent, baseVersion, strategy, strict,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var write = new MemoryWrite(parse.GetValue(id)!, parse.GetValue(content)!, parse.GetValue(type)!, parse.GetValue(importance),
                parse.GetValue(metadata), Arguments.Embedding(parse.GetValue(embedding)), parse.GetValue(agent)!,
                BaseVersion: parse.GetValue(baseVersion), Strategy: parse.GetValue(strategy),
                Mode: parse.GetValue(strict) ? SyncMode.Strict : SyncMode.Eventual);
            var record = await client.UpsertAsync(write);
            return await context.PrintAsync(parse, MemoryDocuments.Write(MemoryDocuments.Memory(record)),
                record.Conflicted
                    ? $"{record.MemoryId} is in conflict (see memsync conflicts); version {record.Version} is kept until it is resolved"
                    : $"stored {record.MemoryId} version {record.Version} (checksum {record.Checksum[..12]}…)");
        }, cancellationToken));
        return command;
    }
}
