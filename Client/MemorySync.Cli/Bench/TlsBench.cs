namespace MemorySync.Cli.Bench;

/// <summary>
/// What mutual TLS on the Orleans ports costs: the same requests to two silos started for the run, identical but for
/// <c>Tls:Enabled</c> (see <see cref="TlsBenchCluster"/>). Each row runs in rounds that alternate between the two
/// and swap which goes first, so both meet the same machine; each TLS row is compared with its plain row.
/// </summary>
internal sealed class TlsBench(TlsBenchCluster plain, TlsBenchCluster secured, TextWriter progress)
{
    private const int WarmUpCalls = 200;
    private const int K = 10;

    public async Task<TlsBenchReport> RunAsync(TlsBenchSettings settings)
    {
        var records = new BenchRecords(seed: 13);
        var run = $"bt{DateTime.UtcNow:HHmmss}";
        List<MemoryWrite> Records(TlsBenchCluster side, string row, int count) =>
            Enumerable.Range(0, count).Select(i => records.Create($"{run}-{(side.Tls ? "on" : "off")}-{row}", i)).ToList();

        // Untimed first: both paths' code is compiled and both connections are open before any row is timed.
        foreach (var side in new[] { plain, secured })
        {
            await WriteBench.RunAsync(new LatencyRecorder(), Records(side, "warm", WarmUpCalls), 8, record => side.Client.UpsertAsync(record));
        }

        var rows = new List<BenchRow>();
        rows.AddRange(await MeasurePairAsync("sequential put", settings.Rounds, side => Records(side, "seq", settings.Memories), 1,
            (side, record) => side.Client.UpsertAsync(record)));
        rows.AddRange(await MeasurePairAsync($"{settings.Concurrency} concurrent puts", settings.Rounds, side => Records(side, "conc", settings.Memories),
            settings.Concurrency, (side, record) => side.Client.UpsertAsync(record)));
        // The memories the sequential row wrote, each held by its grain by now: a get touches no store.
        rows.AddRange(await MeasurePairAsync(TlsBenchReport.GetRowName, settings.Rounds, side => Records(side, "seq", settings.Memories), 1,
            (side, record) => side.Client.GetAsync(record.MemoryId)));
        var queries = Enumerable.Range(0, settings.Queries).Select(i => records.Create($"{run}-query", i)).ToList();
        rows.AddRange(await MeasurePairAsync($"search k={K} by embedding", settings.Rounds, _ => queries, 1,
            (side, query) => side.Client.SearchAsync(new SearchRequest(Embedding: query.Embedding, K: K))));
        return TlsBenchReport.From(settings, rows);
    }

    // The plain row and the TLS row compared with it, each timed over the same number of calls in alternating rounds.
    private async Task<BenchRow[]> MeasurePairAsync(string name, int rounds, Func<TlsBenchCluster, List<MemoryWrite>> recordsOf, int callers,
        Func<TlsBenchCluster, MemoryWrite, Task> call)
    {
        var sides = new[] { plain, secured };
        var recorders = sides.Select(_ => new LatencyRecorder()).ToArray();
        var chunks = sides.Select(side =>
        {
            var records = recordsOf(side);
            return records.Chunk(Math.Max(1, (records.Count + rounds - 1) / rounds)).ToArray();
        }).ToArray();
        for (var round = 0; round < chunks[0].Length; round++)
        {
            foreach (var s in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var side = sides[s];
                await WriteBench.RunAsync(recorders[s], chunks[s][round], callers, record => call(side, record));
            }
        }

        await progress.WriteLineAsync($"  {name}: done");
        var count = chunks[0].Sum(chunk => chunk.Length);
        var plainRow = recorders[0].Row($"tls off: {name}", count);
        return [plainRow, recorders[1].Row($"tls on: {name}", count).ComparedWith(plainRow)];
    }
}

/// <summary>How many calls <c>bench tls</c> makes per row, and in how many alternating rounds.</summary>
internal sealed record TlsBenchSettings(int Memories, int Concurrency, int Queries, int Rounds);

/// <summary>
/// The TLS rows, and the verdict against the target (TLS costs at most 10% of throughput and 0.3 ms of p50 on the put
/// and search rows): the worst throughput loss and the worst p50 added over those rows.
/// </summary>
internal sealed record TlsBenchReport(TlsBenchSettings Settings, IReadOnlyList<BenchRow> Rows, double WorstThroughputLoss, double WorstP50ExtraMilliseconds)
{
    public const string GetRowName = "get (a memory its grain holds)";
    public const double ThroughputLossTarget = 0.10;
    public const double P50ExtraTargetMilliseconds = 0.3;

    public bool WithinTarget => WorstThroughputLoss <= ThroughputLossTarget && WorstP50ExtraMilliseconds <= P50ExtraTargetMilliseconds;

    public static TlsBenchReport From(TlsBenchSettings settings, List<BenchRow> rows)
    {
        // The target is about the calls agents make, put and search; the get row (a memory its grain holds, no store
        // touched) is the transport alone, reported beside them to show what TLS adds per round trip.
        var compared = rows.Where(row => row.ComparedTo is not null && !row.Name.Contains(GetRowName, StringComparison.Ordinal)).ToList();
        return new TlsBenchReport(settings, rows,
            compared.Max(row => 1 - row.ThroughputRatio!.Value),
            compared.Max(row => row.P50ExtraMilliseconds!.Value));
    }

    public string Format() =>
        $"""
        mutual TLS on the Orleans ports: two silos started for this run, identical but for Tls:Enabled
        {Settings.Rounds} alternating rounds per row; each "tls on" row against the "tls off" row above it
        {BenchTable.Format(Rows)}
        worst over the put and search rows: TLS costs {WorstThroughputLoss:P1} of throughput and {WorstP50ExtraMilliseconds:+0.00;-0.00} ms of p50 (target: at most {ThroughputLossTarget:P0} and {P50ExtraTargetMilliseconds} ms): {(WithinTarget ? "within" : "OUTSIDE")} the target
        """;
}
