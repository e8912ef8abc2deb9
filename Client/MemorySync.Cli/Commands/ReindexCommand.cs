using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync reindex [--reembed]</c>: rebuilds every index shard from PostgreSQL into a shadow index and swaps it in,
/// embedding again what another model embedded (or everything with --reembed); searches keep working throughout.
/// </summary>
internal static class ReindexCommand
{
    public static Command Create(CliContext context)
    {
        var reembed = new Option<bool>("--reembed") { Description = "Embed every memory again with the current model, not only those from another model" };
        var command = new Command("reindex", "Rebuild the vector index from PostgreSQL, re-embedding where the model changed") { reembed };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var stats = await client.GetStatisticsAsync();
            var layout = await client.Operations.GetLayoutAsync();
            // Every shard scans all of PostgreSQL's live memories and keeps its own.
            var bar = new ProgressBar(context.Error, (int)Math.Max(1, stats.LiveMemories * layout.IndexShards), "memories scanned");
            var results = await client.Operations.ReindexAsync(parse.GetValue(reembed),
                new SynchronousProgress<IReadOnlyList<ReindexProgress>>(states => bar.Report((int)Math.Min(states.Sum(state => state.Scanned),
                    stats.LiveMemories * layout.IndexShards))), cancellationToken: cancellationToken);
            var failed = results.Where(result => result.Error is not null).ToList();
            var human = $"reindexed {results.Count} shards: {results.Sum(result => result.Indexed)} vectors, {results.Sum(result => result.Reembedded)} embedded again" +
                string.Concat(failed.Select(result => $"{Environment.NewLine}  shard {result.Shard} failed: {result.Error}"));
            await context.PrintAsync(parse, MemorySyncJson.Serialize(results), human);
            return failed.Count == 0 ? CliContext.ExitOk : CliContext.ExitUnhealthy;
        }, cancellationToken));
        return command;
    }
}
