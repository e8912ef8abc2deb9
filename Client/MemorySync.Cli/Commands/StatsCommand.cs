using System.CommandLine;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync stats</c>: memories, outbox (pending and dead letters), transactions and conflicts.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stats", "Show sync statistics: outbox, dead letters, transactions, conflicts");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var stats = await client.GetStatisticsAsync();
            var human = $"""
                memories: {stats.LiveMemories} live, {stats.TotalMemories} in all, {stats.OutOfSyncMemories} not yet in every store
                outbox: {stats.PendingSyncs} pending, {stats.DeadSyncs} dead letters{(stats.OldestPendingAt is { } oldest ? $", oldest pending since {oldest:u}" : string.Empty)}
                transactions: {stats.CommittedTransactions} committed, {stats.RolledBackTransactions} rolled back, {stats.FailedTransactions} failed, average {stats.AverageSyncMilliseconds ?? 0:F1} ms
                conflicts: {stats.OpenConflicts} open, {stats.ResolvedConflicts} resolved
                """;
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(stats), human);
        }, cancellationToken));
        return command;
    }
}
