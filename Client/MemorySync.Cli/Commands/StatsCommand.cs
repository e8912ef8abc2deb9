using System.CommandLine;
using System.Text.Json;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync stats</c>: memories, outbox (pending and dead letters), transactions and conflicts, then the silos and
/// what each hosts, each index shard's size and index type, and each consistency partition's last sweep.
/// </summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stats", "Show sync statistics, the silos and what each hosts, and the consistency sweeps");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var stats = await client.GetStatisticsAsync();
            var silos = await client.Operations.GetSilosAsync();
            var sweeps = await client.Operations.GetSweepStatusAsync();
            var shards = await client.Operations.GetIndexInfoAsync();
            var document = JsonSerializer.SerializeToNode(stats, MemorySyncJson.Options)!.AsObject();
            document["silos"] = JsonSerializer.SerializeToNode(silos, MemorySyncJson.Options);
            document["sweeps"] = JsonSerializer.SerializeToNode(sweeps, MemorySyncJson.Options);
            document["index_shards"] = JsonSerializer.SerializeToNode(shards, MemorySyncJson.Options);
            var human = $"""
                memories: {stats.LiveMemories} live, {stats.TotalMemories} in all, {stats.OutOfSyncMemories} not yet in every store
                outbox: {stats.PendingSyncs} pending, {stats.DeadSyncs} dead letters{(stats.OldestPendingAt is { } oldest ? $", oldest pending since {oldest:u}" : string.Empty)}
                transactions: {stats.CommittedTransactions} committed, {stats.RolledBackTransactions} rolled back, {stats.FailedTransactions} failed, average {stats.AverageSyncMilliseconds ?? 0:F1} ms
                conflicts: {stats.OpenConflicts} open, {stats.ResolvedConflicts} resolved
                silos: {silos.Count}
                """ + string.Concat(silos.Select(silo =>
                    $"{Environment.NewLine}  {silo.Address} {silo.Status.ToLowerInvariant()}: {silo.Hosts.GetValueOrDefault("memory")} memories, " +
                    $"{silo.Hosts.GetValueOrDefault("index_shard")} index shards, {silo.Hosts.GetValueOrDefault("consistency_partition")} consistency partitions" +
                    (silo.Memory is { } memory ? $"; {Mebibytes(memory.WorkingSetBytes)} MiB resident (peak {Mebibytes(memory.PeakWorkingSetBytes)} MiB)" : string.Empty))) +
                $"{Environment.NewLine}index shards: {shards.Count}" + string.Concat(shards.Select(shard =>
                    $"{Environment.NewLine}  shard {shard.Shard}: {shard.Vectors} vectors in {shard.Factory}" + IndexTypeNote(shard))) +
                $"{Environment.NewLine}sweeps: {sweeps.Count(sweep => sweep.Phase != "idle")} running; last finished: " +
                (sweeps.Select(sweep => sweep.LastSweep).OfType<SweepSummary>().ToList() is { Count: > 0 } finished
                    ? $"{finished.Max(sweep => sweep.FinishedAt):u}, {finished.Sum(sweep => sweep.Inconsistent)} differed, {finished.Sum(sweep => sweep.Repaired)} repaired"
                    : "none yet");
            return await context.PrintAsync(parse, document.ToJsonString(MemorySyncJson.Options), human);
        }, cancellationToken));
        return command;
    }

    private static long Mebibytes(long bytes) => bytes / (1024 * 1024);

    // A shard configured with an index type that needs training serves from Flat until it has trained one.
    private static string IndexTypeNote(IndexShardInfo shard) =>
        shard.Factory == shard.ConfiguredFactory ? string.Empty
        : shard.Training ? $" (training {shard.ConfiguredFactory} now)"
        : $" (until it holds enough vectors to train {shard.ConfiguredFactory})";
}
