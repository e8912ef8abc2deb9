using System.CommandLine;
using MemorySync.Cli.Bench;
using MemorySync.Faiss;
using StackExchange.Redis;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync bench</c>: every row (writes, search at each size, silo memory, clean sweep) against the raw stores in
/// one run; <c>bench write</c> and <c>bench consistency</c> run one part on its own.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var memories = new Option<int>("--memories") { Description = "Memories written per write row", DefaultValueFactory = _ => 2_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers of the concurrent row", DefaultValueFactory = _ => 64 };
        var searchAt = new Option<string>("--search-at")
        {
            Description = "Index sizes of the search rows, comma-separated (bench memories are loaded up to each; a later run reuses them)",
            DefaultValueFactory = _ => "20000,100000",
        };
        var queries = new Option<int>("--queries") { Description = "Queries per search row", DefaultValueFactory = _ => 300 };
        var import = new Option<int>("--import")
        {
            Description = "Texts of about 460 characters embedded by the raw embedder and imported with server-side embedding",
            DefaultValueFactory = _ => 1_500,
        };
        var http = HttpOption();
        var command = new Command("bench", "Measure MemorySync against the raw stores on this machine, every row in one run")
        {
            memories, concurrency, searchAt, queries, import, http,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var settings = new BenchSettings(parse.GetValue(memories), parse.GetValue(concurrency), ParseSizes(parse.GetValue(searchAt)!),
                parse.GetValue(queries), parse.GetValue(import));
            if (settings.Memories < 1 || settings.Concurrency < 1 || settings.Queries < 1 || settings.ImportTexts < 1)
            {
                throw new CliInputException("--memories, --concurrency, --queries and --import must be positive");
            }

            await using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgresConnectionString());
            await using var redis = await ConnectRedisAsync();
            await using var agentApi = await HttpAgentApi.OpenAsync(client, HttpAddress(parse.GetValue(http)!));
            var report = await new FullBench(client, dataSource, redis, KeyPrefix(), context.Error, agentApi).RunAsync(settings, cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(report), BenchTable.Format(report));
        }, cancellationToken));
        command.Subcommands.Add(CreateConsistency(context));
        command.Subcommands.Add(CreateWrite(context));
        command.Subcommands.Add(CreateImport(context));
        command.Subcommands.Add(CreateSearch(context));
        command.Subcommands.Add(CreateIndex(context));
        command.Subcommands.Add(CreateTls(context));
        return command;
    }

    private static Command CreateIndex(CliContext context)
    {
        var vectors = new Option<int>("--vectors") { Description = "Bench vectors in each index", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Queries per index type", DefaultValueFactory = _ => 500 };
        var candidates = new Option<string>("--candidates")
        {
            Description = "Index types, ';'-separated, each a FAISS factory with its nprobe values after '@'",
            DefaultValueFactory = _ => "IVF1024,Flat@8,16,32,64;IVF256,Flat@8,16,32;IVF1024,SQ8@16,32;SQ8",
        };
        var command = new Command("index", "Raw FAISS only: search p50 and recall@10 of index types against Flat (no cluster needed)")
        {
            vectors, queries, candidates,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var count = parse.GetValue(vectors);
                var probes = parse.GetValue(queries);
                var chosen = parse.GetValue(candidates)!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(IndexCandidate.Parse).ToList();
                if (count < 1 || probes < 1)
                {
                    throw new CliInputException("--vectors and --queries must be positive");
                }

                var rows = new IndexTypeComparison(context.Error).Run(count, probes, chosen);
                var human = $"{count:N0} bench vectors, {probes} single queries, k = 10, 1 thread" + Environment.NewLine +
                    "| factory | nprobe | search p50 (ms) | recall@10 | build (s) |" + Environment.NewLine + "| --- | --- | --- | --- | --- |" +
                    string.Concat(rows.Select(row => Environment.NewLine +
                        $"| {row.Factory} | {row.Nprobe?.ToString() ?? "-"} | {row.SearchP50Milliseconds:F2} | {row.RecallAt10:F3} | {row.BuildSeconds:F0} |"));
                return await context.PrintAsync(parse, MemorySyncJson.Serialize(rows), human);
            }
            catch (Exception exception) when (exception is CliInputException or FaissException)
            {
                return await context.FailAsync(CliContext.ExitInvalidInput, exception.Message);
            }
        });
        return command;
    }

    // The HTTP rows call the silo's agent API, through a key the run makes and revokes.
    private static Option<string> HttpOption() => new("--http")
    {
        Description = "The silo's HTTP API for the HTTP rows",
        DefaultValueFactory = _ => $"http://127.0.0.1:{CliContext.Settings["Silo:HttpPort"] ?? "8580"}",
    };

    private static Uri HttpAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https"
            ? address
            : throw new CliInputException($"--http: '{text}' is not an http:// or https:// address of a silo");

    private static List<int> ParseSizes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, out var size) && size > 0
                ? size
                : throw new CliInputException($"--search-at: '{part}' is not a positive number of memories"))
            .ToList();

    // The raw rows prepare their statements as the silo does, so neither side pays PostgreSQL's planning per write.
    private static string PostgresConnectionString() =>
        CliContext.Settings["Postgres:ConnectionString"] is { Length: > 0 } connectionString
            ? new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 }.ConnectionString
            : throw new CliInputException("the raw rows use PostgreSQL: set MEMSYNC_Postgres__ConnectionString (./memsync does, from the local stack)");

    private static string KeyPrefix() => CliContext.Settings["Redis:KeyPrefix"] is { Length: > 0 } configured ? configured : "memsync";

    private static Command CreateWrite(CliContext context)
    {
        var memories = new Option<int>("--memories") { Description = "Memories written per row", DefaultValueFactory = _ => 2_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers of the MemorySync row", DefaultValueFactory = _ => 64 };
        var http = HttpOption();
        var command = new Command("write", "Write throughput and latency: the raw stores, then MemorySync, with ratios") { memories, concurrency, http };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var count = parse.GetValue(memories);
            var callers = parse.GetValue(concurrency);
            if (count < 1 || callers < 1)
            {
                throw new CliInputException("--memories and --concurrency must be positive");
            }

            await using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgresConnectionString());
            await using var redis = await ConnectRedisAsync();
            await using var raw = new RawStores(dataSource, redis);
            await using var agentApi = await HttpAgentApi.OpenAsync(client, HttpAddress(parse.GetValue(http)!));
            var rows = await SweepTimer.WithRemindersPausedAsync(client, () => new WriteBench(client, raw, context.Error, agentApi).RunAsync(count, callers),
                cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(rows), BenchTable.Format(rows));
        }, cancellationToken));
        return command;
    }

    private static Command CreateSearch(CliContext context)
    {
        var size = new Option<int>("--at") { Description = "Bench memories the cluster holds for the rows (loaded first if missing)", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Queries per row", DefaultValueFactory = _ => 300 };
        var http = HttpOption();
        var command = new Command("search", "The search rows alone: raw FAISS of the silo's index type beside MemorySync's search, with recall@10")
        {
            size, queries, http,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var memories = parse.GetValue(size);
            var probes = parse.GetValue(queries);
            if (memories < 1 || probes < 1)
            {
                throw new CliInputException("--at and --queries must be positive");
            }

            await using var redis = await ConnectRedisAsync();
            await using var agentApi = await HttpAgentApi.OpenAsync(client, HttpAddress(parse.GetValue(http)!));
            var loader = new BenchLoader(client, redis, KeyPrefix(), context.Error);
            var rows = await SweepTimer.WithRemindersPausedAsync(client, async () =>
            {
                // Raw FAISS gets the one thread a shard gets by default (Faiss:Threads = 1), as in the full bench.
                FaissIndex.SetThreadCount(1);
                await loader.LoadAsync(memories, cancellationToken);
                var indexType = IndexType.Of(await client.Operations.GetIndexInfoAsync());
                return await new SearchBench(client, loader, context.Error, agentApi).RunAsync(memories, probes, indexType);
            }, cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(rows), BenchTable.Format(rows));
        }, cancellationToken));
        return command;
    }

    private static Command CreateImport(CliContext context)
    {
        var texts = new Option<int>("--texts") { Description = "Texts of about 460 characters in each row", DefaultValueFactory = _ => 1_500 };
        var command = new Command("import", "The raw embedder over generated texts, then the same texts imported with server-side embedding") { texts };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var count = parse.GetValue(texts) is var value and >= 1 ? value : throw new CliInputException("--texts must be positive");
            var rows = await SweepTimer.WithRemindersPausedAsync(client, () => new ImportBench(client, context.Error).RunAsync(count), cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(rows), BenchTable.Format(rows));
        }, cancellationToken));
        return command;
    }

    private static Command CreateTls(CliContext context)
    {
        var memories = new Option<int>("--memories") { Description = "Memories written per put row (and read by the get row); the concurrent row writes at least eight per caller per round", DefaultValueFactory = _ => 2_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent callers of the concurrent row", DefaultValueFactory = _ => 64 };
        var queries = new Option<int>("--queries") { Description = "Queries of the search row", DefaultValueFactory = _ => 300 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds per row", DefaultValueFactory = _ => 20 };
        var control = new Option<bool>("--control")
        {
            Description = "Start the second silo with TLS off too: what two identical sides differ by is the machine's noise, the bench's resolution",
        };
        var siloProgram = new Option<string>("--silo-program")
        {
            Description = "The built silo (MemorySync.Silo.dll) the bench starts twice",
            DefaultValueFactory = _ => CliContext.Settings["Bench:SiloProgram"] ?? "",
        };
        var command = new Command("tls", "What mutual TLS costs: put, get and search against two silos started for the run, TLS on and off")
        {
            memories, concurrency, queries, rounds, control, siloProgram,
        };
        command.SetAction((parse, cancellationToken) => context.GuardAsync(async () =>
        {
            var settings = new TlsBenchSettings(parse.GetValue(memories), parse.GetValue(concurrency), parse.GetValue(queries), parse.GetValue(rounds),
                parse.GetValue(control));
            if (settings.Memories < 1 || settings.Concurrency < 1 || settings.Queries < 1 || settings.Rounds < 1)
            {
                throw new CliInputException("--memories, --concurrency, --queries and --rounds must be positive");
            }

            var program = parse.GetValue(siloProgram)!;
            if (!File.Exists(program))
            {
                throw new CliInputException(program.Length == 0
                    ? "--silo-program: name the built silo (Silo/bin/Release/net10.0/MemorySync.Silo.dll); ./memsync does"
                    : $"--silo-program: no silo program at '{program}' (build the solution first)");
            }

            var postgres = PostgresConnectionString();
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres);
            await using var redis = await ConnectRedisAsync();
            await using var plain = await TlsBenchCluster.StartAsync(TlsBenchCluster.PlainName, tls: false, program, postgres, dataSource, redis, cancellationToken);
            await context.Error.WriteLineAsync($"  silo with TLS off: up (pid {plain.SiloProcessId})");
            await using var secured = await TlsBenchCluster.StartAsync(
                settings.Control ? TlsBenchCluster.ControlName : TlsBenchCluster.SecuredName, tls: !settings.Control, program, postgres, dataSource, redis, cancellationToken);
            await context.Error.WriteLineAsync(
                $"  {(settings.Control ? "second silo with TLS off (control)" : "silo with TLS on")}: up (pid {secured.SiloProcessId})");
            var report = await new TlsBench(plain, secured, context.Error).RunAsync(settings, cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(report), report.Format());
        }));
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

            await using var redis = await ConnectRedisAsync();
            var report = await new ConsistencyBench(client, redis, KeyPrefix(), context.Error).RunAsync(count, fraction, cancellationToken);
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
