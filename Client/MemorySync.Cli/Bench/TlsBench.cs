namespace MemorySync.Cli.Bench;

/// <summary>
/// What mutual TLS on the Orleans ports costs: the same requests to two silos started for the run, identical but for
/// <c>Tls:Enabled</c> (see <see cref="TlsBenchCluster"/>). Each row runs in rounds that alternate between the two
/// and swap which goes first, so both meet the same machine; each TLS row is compared with its plain row, round by
/// round. With <see cref="TlsBenchSettings.Control"/> the second silo has TLS off too: what the two sides then differ by
/// is the machine's noise alone, the resolution of the bench on it.
/// </summary>
internal sealed class TlsBench(TlsBenchCluster plain, TlsBenchCluster secured, TextWriter progress)
{
    private const int WarmUpCalls = 200;
    private const int K = 10;
    private const int MinPutsPerCallerPerRound = 8;

    private CancellationToken _cancellation;

    /// <summary>Runs every row; cancelled (Ctrl-C, SIGTERM), it stops at the next round, and the silos are disposed on the way out.</summary>
    public async Task<TlsBenchReport> RunAsync(TlsBenchSettings settings, CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        var records = new BenchRecords(seed: 13);
        var run = $"bt{DateTime.UtcNow:HHmmss}";
        List<MemoryWrite> Records(TlsBenchCluster side, string row, int count) =>
            Enumerable.Range(0, count).Select(i => records.Create($"{run}-{side.Name}-{row}", i)).ToList();

        // Untimed first: both paths' code is compiled and both connections are open before any row is timed.
        foreach (var side in new[] { plain, secured })
        {
            await WriteBench.RunAsync(new LatencyRecorder(), Records(side, "warm", WarmUpCalls), 8, record => side.Client.UpsertAsync(record));
        }

        var sequential = await MeasurePairAsync("sequential put", settings.Rounds, side => Records(side, "seq", settings.Memories),
            Callers(1), (side, record) => side.Client.UpsertAsync(record));
        // At least eight puts per caller in every round: with 2,000 puts in 20 rounds a round was 100 puts for 64 callers,
        // mostly their start and their last stragglers, and the row's ratio swung 0.89-1.13 between runs.
        var concurrentPuts = Math.Max(settings.Memories, settings.Rounds * settings.Concurrency * MinPutsPerCallerPerRound);
        var concurrent = await MeasurePairAsync($"{settings.Concurrency} concurrent puts", settings.Rounds,
            side => Records(side, "conc", concurrentPuts), Callers(settings.Concurrency), (side, record) => side.Client.UpsertAsync(record));
        // The concurrent rows' p50 is queueing (about callers / throughput), so it says little of what TLS adds to a
        // call under load: the same puts again at a fixed rate both sides keep up with, timed from when each was due.
        var rate = WriteBench.PacedRate(concurrent.Plain.PerSecond, concurrent.Secured.PerSecond);
        var paced = await MeasurePairAsync($"puts at {rate}/s", settings.Rounds, side => Records(side, "paced", settings.Memories),
            (recorder, round, call) => WriteBench.RunPacedAsync(recorder, round, rate, call), (side, record) => side.Client.UpsertAsync(record));
        // The memories the sequential row wrote, each held by its grain by now: a get touches no store.
        var get = await MeasurePairAsync("get (a memory its grain holds)", settings.Rounds, side => Records(side, "seq", settings.Memories),
            Callers(1), (side, record) => side.Client.GetAsync(record.MemoryId));
        var queries = Enumerable.Range(0, settings.Queries).Select(i => records.Create($"{run}-query", i)).ToList();
        var search = await MeasurePairAsync($"search k={K} by embedding", settings.Rounds, _ => queries,
            Callers(1), (side, query) => side.Client.SearchAsync(new SearchRequest(Embedding: query.Embedding, K: K)));

        // The target is about the calls agents make, put and search: throughput where callers wait for nothing but the
        // silo (the paced rows' throughput is their rate), p50 where it is a call's own time (not the concurrent rows'
        // queue). The get rows (no store touched) are the transport alone, reported to show what TLS adds per round trip.
        return new TlsBenchReport(settings, [.. sequential.Both, .. concurrent.Both, .. paced.Both, .. get.Both, .. search.Both],
            WorstThroughputLoss: new[] { sequential, concurrent, search }.Max(pair => 1 - pair.Secured.ThroughputRatio!.Value),
            WorstP50ExtraMilliseconds: new[] { sequential, paced, search }.Max(pair => pair.Secured.P50ExtraMilliseconds!.Value));
    }

    // How one round of a row is run: by this many callers, each taking the next record as it finishes one.
    private static RoundRunner Callers(int callers) =>
        (recorder, round, call) => WriteBench.RunAsync(recorder, round, callers, call);

    private delegate Task RoundRunner(LatencyRecorder recorder, IReadOnlyList<MemoryWrite> round, Func<MemoryWrite, Task> call);

    // The plain row and the TLS row compared with it, each timed over the same number of calls in alternating rounds.
    private async Task<TlsPair> MeasurePairAsync(string name, int rounds, Func<TlsBenchCluster, List<MemoryWrite>> recordsOf, RoundRunner runRound,
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
                _cancellation.ThrowIfCancellationRequested();
                var side = sides[s];
                await runRound(recorders[s], chunks[s][round], record => call(side, record));
            }
        }

        await progress.WriteLineAsync($"  {name}: done");
        var count = chunks[0].Sum(chunk => chunk.Length);
        var plainRow = recorders[0].Row($"tls off: {name}", count);
        return new TlsPair(plainRow, recorders[1].Row($"{(secured.Tls ? "tls on" : "tls off (control)")}: {name}", count).ComparedWith(plainRow));
    }

    /// <summary>One row measured with TLS off and on; the TLS row carries its ratios to the plain one.</summary>
    private sealed record TlsPair(BenchRow Plain, BenchRow Secured)
    {
        public BenchRow[] Both => [Plain, Secured];
    }
}

/// <summary>
/// How many calls <c>bench tls</c> makes per row, and in how many alternating rounds; <c>Control</c>: the second silo
/// has TLS off as well.
/// </summary>
internal sealed record TlsBenchSettings(int Memories, int Concurrency, int Queries, int Rounds, bool Control = false);

/// <summary>
/// The TLS rows, and the verdict against the target (TLS costs at most 10% of throughput and 0.3 ms of p50 on the put
/// and search rows): the worst throughput loss and the worst p50 added over those rows.
/// </summary>
internal sealed record TlsBenchReport(TlsBenchSettings Settings, IReadOnlyList<BenchRow> Rows, double WorstThroughputLoss, double WorstP50ExtraMilliseconds)
{
    public const double ThroughputLossTarget = 0.10;
    public const double P50ExtraTargetMilliseconds = 0.3;

    public bool WithinTarget => WorstThroughputLoss <= ThroughputLossTarget && WorstP50ExtraMilliseconds <= P50ExtraTargetMilliseconds;

    public string Format() =>
        $"""
        mutual TLS on the Orleans ports: two silos started for this run, identical but for Tls:Enabled
        {Settings.Rounds} alternating rounds per row; each {SecondSide} row against the "tls off" row above it, ratios and p50 difference the median over its pairs of rounds
        {BenchTable.Format(Rows)}
        worst throughput over sequential put, concurrent puts and search, worst p50 over sequential put, paced puts and search:
        {Verdict}
        """;

    private string SecondSide => Settings.Control ? "\"tls off (control)\"" : "\"tls on\"";

    private string Verdict => Settings.Control
        ? $"two identical silos, both with TLS off, differ by {WorstThroughputLoss:P1} of throughput and {BenchTable.SignedMilliseconds(WorstP50ExtraMilliseconds)} ms of p50: this machine's noise, against which the target (at most {ThroughputLossTarget:P0} and {P50ExtraTargetMilliseconds} ms) is measured"
        : $"TLS costs {WorstThroughputLoss:P1} of throughput and {BenchTable.SignedMilliseconds(WorstP50ExtraMilliseconds)} ms of p50 (target: at most {ThroughputLossTarget:P0} and {P50ExtraTargetMilliseconds} ms): {(WithinTarget ? "within" : "OUTSIDE")} the target";
}
