using System.Diagnostics;

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
    private Dictionary<string, long> _cpuAtStart = [];

    public void Start()
    {
        _cpuAtStart = CpuAccounting.Sample();
        _wall.Start();
    }

    public void Stop()
    {
        _wall.Stop();
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

    public BenchRow Row(string name, int memories) => new(name, memories,
        memories / Math.Max(_wall.Elapsed.TotalSeconds, 1e-9), Percentile(0.50), Percentile(0.99))
    {
        CpuMillisecondsPerMemory = CpuAccounting.PerMemory([], _cpuSpent, memories),
    };

    private double Percentile(double fraction)
    {
        lock (_gate)
        {
            if (_milliseconds.Count == 0)
            {
                return 0;
            }

            var sorted = _milliseconds.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
        }
    }
}

/// <summary>
/// One row of the report: memories written (or queries, or memories swept), throughput per second, latency p50/p99 of
/// one operation (ms), and for a MemorySync row the raw row it is compared with and the ratios (throughput ratio;
/// latency ratios, lower is better) and the p50 difference in ms. Search rows also carry their recall@10 against the
/// exact answer. <see cref="CpuMillisecondsPerMemory"/> is the profile: CPU each local process role spent per memory.
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
    public IReadOnlyDictionary<string, double>? CpuMillisecondsPerMemory { get; init; }

    /// <summary>This MemorySync row against its raw counterpart.</summary>
    public BenchRow ComparedWith(BenchRow baseline) => this with
    {
        ComparedTo = baseline.Name,
        ThroughputRatio = PerSecond / baseline.PerSecond,
        P50Ratio = baseline.P50Milliseconds > 0 ? P50Milliseconds / baseline.P50Milliseconds : null,
        P99Ratio = baseline.P99Milliseconds > 0 ? P99Milliseconds / baseline.P99Milliseconds : null,
        P50ExtraMilliseconds = P50Milliseconds - baseline.P50Milliseconds,
    };
}
