using System.Diagnostics;
using System.Text.Json.Serialization;

namespace MemorySync.Cli.Bench;

/// <summary>
/// Latencies of one benchmark row and its wall time: throughput, p50 and p99. Start and Stop may alternate: a row
/// measured in rounds, interleaved with another row's, adds its rounds' time and CPU up.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();
    private readonly Stopwatch _wall = new();
    private readonly Dictionary<string, long> _cpuSpent = [];
    private readonly List<BenchRound> _rounds = [];
    private Dictionary<string, long> _cpuAtStart = [];
    private TimeSpan _wallAtStart;
    private int _callsAtStart;

    public void Start()
    {
        _cpuAtStart = CpuAccounting.Sample();
        _wallAtStart = _wall.Elapsed;
        lock (_gate)
        {
            _callsAtStart = _milliseconds.Count;
        }

        _wall.Start();
    }

    public void Stop()
    {
        _wall.Stop();
        lock (_gate)
        {
            var calls = _milliseconds.Count - _callsAtStart;
            _rounds.Add(new BenchRound(calls / Math.Max((_wall.Elapsed - _wallAtStart).TotalSeconds, 1e-9),
                Percentile(_milliseconds.Skip(_callsAtStart), 0.50)));
        }

        foreach (var (process, ticks) in CpuAccounting.Sample())
        {
            _cpuSpent[process] = _cpuSpent.GetValueOrDefault(process) + ticks - _cpuAtStart.GetValueOrDefault(process);
        }
    }

    /// <summary>Times one operation: one memory, or one batch.</summary>
    public async Task TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_gate)
        {
            _milliseconds.Add(elapsed);
        }
    }

    /// <summary>
    /// Times one operation from when it was due (a <see cref="Stopwatch"/> timestamp) rather than from when it began, so
    /// that a caller scheduled at a fixed rate counts the time it waited behind slower calls (no coordinated omission).
    /// </summary>
    public async Task TimeFromAsync(long due, Func<Task> operation)
    {
        await operation();
        var elapsed = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
        lock (_gate)
        {
            _milliseconds.Add(elapsed);
        }
    }

    /// <summary>Times one synchronous operation (a raw FAISS call).</summary>
    public void Time(Action operation)
    {
        var started = Stopwatch.GetTimestamp();
        operation();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_gate)
        {
            _milliseconds.Add(elapsed);
        }
    }

    public BenchRow Row(string name, int memories)
    {
        lock (_gate)
        {
            return new BenchRow(name, memories, memories / Math.Max(_wall.Elapsed.TotalSeconds, 1e-9),
                Percentile(_milliseconds, 0.50), Percentile(_milliseconds, 0.99))
            {
                CpuMillisecondsPerMemory = CpuAccounting.PerMemory([], _cpuSpent, memories),
                Rounds = [.. _rounds],
            };
        }
    }

    private static double Percentile(IEnumerable<double> milliseconds, double fraction)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
    }
}

/// <summary>One round of a row measured in rounds (one Start..Stop): its throughput and its p50.</summary>
internal sealed record BenchRound(double PerSecond, double P50Milliseconds);

/// <summary>
/// One row of the report: memories written (or queries, or memories swept), throughput per second, latency p50/p99 of
/// one operation (ms), and for a MemorySync row the raw row it is compared with and the ratios (throughput ratio;
/// latency ratios, lower is better) and the p50 difference in ms. Search rows also carry their recall@10 against the
/// exact answer. <see cref="CpuMillisecondsPerMemory"/> is the profile: CPU each local process role spent per memory.
/// Two rows measured in the same number of alternating rounds are compared round by round (<see cref="PairedRounds"/>).
/// </summary>
internal sealed record BenchRow(
    string Name,
    int Memories,
    double PerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    string? ComparedTo = null,
    double? ThroughputRatio = null,
    double? P50Ratio = null,
    double? P99Ratio = null,
    double? P50ExtraMilliseconds = null,
    double? RecallAt10 = null)
{
    private const int FewestPairedRounds = 3;

    public IReadOnlyDictionary<string, double>? CpuMillisecondsPerMemory { get; init; }

    /// <summary>The rows' rounds, when the row was measured in rounds alternating with another row's.</summary>
    [JsonIgnore]
    public IReadOnlyList<BenchRound> Rounds { get; init; } = [];

    /// <summary>
    /// When set, the throughput ratio, p50 ratio and p50 difference are medians over this many pairs of rounds (round i
    /// of this row against round i of the baseline, which ran right beside it) rather than ratios of the whole rows:
    /// a burst of load from elsewhere on a shared machine hits one round of one row, and moves a whole-row ratio but
    /// not the median. The p99 ratio stays a whole-row one (a round holds too few calls for its own p99).
    /// </summary>
    public int? PairedRounds { get; init; }

    /// <summary>This MemorySync row against its raw counterpart, or against the row it alternated with.</summary>
    public BenchRow ComparedWith(BenchRow baseline)
    {
        var compared = this with
        {
            ComparedTo = baseline.Name,
            ThroughputRatio = PerSecond / baseline.PerSecond,
            P50Ratio = baseline.P50Milliseconds > 0 ? P50Milliseconds / baseline.P50Milliseconds : null,
            P99Ratio = baseline.P99Milliseconds > 0 ? P99Milliseconds / baseline.P99Milliseconds : null,
            P50ExtraMilliseconds = P50Milliseconds - baseline.P50Milliseconds,
        };
        if (Rounds.Count < FewestPairedRounds || Rounds.Count != baseline.Rounds.Count)
        {
            return compared;
        }

        var pairs = Rounds.Zip(baseline.Rounds).ToList();
        return compared with
        {
            PairedRounds = pairs.Count,
            ThroughputRatio = Median(pairs.Select(pair => pair.First.PerSecond / pair.Second.PerSecond)),
            P50Ratio = baseline.P50Milliseconds > 0 ? Median(pairs.Select(pair => pair.First.P50Milliseconds / pair.Second.P50Milliseconds)) : null,
            P50ExtraMilliseconds = Median(pairs.Select(pair => pair.First.P50Milliseconds - pair.Second.P50Milliseconds)),
        };
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
