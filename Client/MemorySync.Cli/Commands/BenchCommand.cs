using System.CommandLine;
using MemorySync.Cli.Bench;
using StackExchange.Redis;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync bench consistency</c>: sweep and check times over N memories, clean and with a fraction damaged.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("bench", "Measure MemorySync against the raw stores on this machine");
        command.Subcommands.Add(CreateConsistency(context));
        command.Subcommands.Add(CreateWrite(context));
        return command;
    }

    private static Command CreateWrite(CliContext context)
    {
        var memories = new Option<int>("--memories") { Description = "Memories written per row", DefaultValueFactory = _ => 2_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers of the MemorySync row", DefaultValueFactory = _ => 64 };
        var command = new Command("write", "Write throughput and latency: the raw stores, then MemorySync, with ratios") { memories, concurrency };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var count = parse.GetValue(memories);
            var callers = parse.GetValue(concurrency);
            if (count < 1 || callers < 1)
            {
                throw new CliInputException("--memories and --concurrency must be positive");
            }

            var postgres = CliContext.Settings["Postgres:ConnectionString"] is { Length: > 0 } connectionString
                ? connectionString
                : throw new CliInputException("the raw rows write to PostgreSQL: set MEMSYNC_Postgres__ConnectionString (./memsync does, from the local stack)");
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres);
            await using var redis = await ConnectRedisAsync();
            await using var raw = new RawStores(dataSource, redis);
            var rows = await new WriteBench(client, raw, context.Error).RunAsync(count, callers);
            var human = string.Join(Environment.NewLine, new[] { $"{"row",-52} {"memories/s",11} {"p50 ms",8} {"p99 ms",8}  ratio (throughput; p50, p99)" }
                .Concat(rows.Select(row => $"{row.Name,-52} {row.PerSecond,11:F0} {row.P50Milliseconds,8:F2} {row.P99Milliseconds,8:F2}" +
                    (row.ComparedTo is null ? string.Empty : $"  {row.ThroughputRatio:F2}; {row.P50Ratio:F2}, {row.P99Ratio:F2} vs {row.ComparedTo}"))));
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(rows), human);
        }, cancellationToken));
        return command;
    }

    private static Command CreateConsistency(CliContext context)
    {
        var memories = new Option<int>("--memories") { Description = "Memories in the cluster (loaded through batch sync if missing)", DefaultValueFactory = _ => 20_000 };
        var damage = new Option<double>("--damage") { Description = "Fraction of memories damaged directly in Redis", DefaultValueFactory = _ => 0.01 };
        var command = new Command("consistency", "Time a full check and a full sweep, clean and with damage") { memories, damage };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var count = parse.GetValue(memories);
            var fraction = parse.GetValue(damage);
            if (count < 1 || fraction is < 0 or > 1)
            {
                throw new CliInputException("--memories must be positive and --damage in [0, 1]");
            }

            var prefix = CliContext.Settings["Redis:KeyPrefix"] is { Length: > 0 } configured ? configured : "memsync";
            await using var redis = await ConnectRedisAsync();
            var report = await new ConsistencyBench(client, redis, prefix, context.Error).RunAsync(count, fraction, cancellationToken);
            var human = $"""
                consistency over {report.Memories} memories ({report.Loaded} loaded now); {report.Damaged} damaged in Redis
                                  seconds  inconsistent  ranges differing  records read  repaired
                clean check      {report.CleanCheck.Seconds,8:F2}  {report.CleanCheck.Inconsistent,12}
                clean sweep      {report.CleanSweep.Seconds,8:F2}  {report.CleanSweep.Inconsistent,12}  {report.CleanSweep.RangesDiffering,16}  {report.CleanSweep.RecordsRead,12}  {report.CleanSweep.Repaired,8}
                damaged check    {report.DamagedCheck.Seconds,8:F2}  {report.DamagedCheck.Inconsistent,12}
                damaged sweep    {report.DamagedSweep.Seconds,8:F2}  {report.DamagedSweep.Inconsistent,12}  {report.DamagedSweep.RangesDiffering,16}  {report.DamagedSweep.RecordsRead,12}  {report.DamagedSweep.Repaired,8}
                inconsistent afterwards: {report.InconsistentAfterwards}
                """;
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(report), human);
        }, cancellationToken));
        return command;
    }

    // The benchmark touches Redis directly (the raw rows, the damage): the cluster's Redis, as the client finds it.
    private static Task<ConnectionMultiplexer> ConnectRedisAsync() =>
        ConnectionMultiplexer.ConnectAsync(CliContext.Settings["Redis:ConnectionString"] is { Length: > 0 } connection
            ? connection
            : ClusterDefaults.RedisConnectionString);
}
