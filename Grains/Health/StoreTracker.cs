using MemorySync.Configuration;

namespace MemorySync.Health;

/// <summary>One store's recent probes: the judged state, failures in a row, success rate, latency percentiles, reconnects.</summary>
internal sealed class StoreTracker(string store, HealthOptions options)
{
    private readonly Queue<(bool Succeeded, double LatencyMilliseconds)> _window = new();
    private readonly Lock _gate = new();
    private StoreHealth? _last;
    private int _consecutiveFailures;
    private int _reconnects;

    public bool HasSamples
    {
        get
        {
            lock (_gate)
            {
                return _last is not null;
            }
        }
    }

    public void Record(StoreHealth sample)
    {
        lock (_gate)
        {
            var succeeded = sample.State != StoreState.Unhealthy;
            if (succeeded)
            {
                _reconnects += _consecutiveFailures > 0 ? 1 : 0;
                _consecutiveFailures = 0;
            }
            else
            {
                _consecutiveFailures++;
            }

            _window.Enqueue((succeeded, sample.LatencyMilliseconds));
            while (_window.Count > options.Window)
            {
                _window.Dequeue();
            }

            _last = sample;
        }
    }

    public StoreHealth Snapshot()
    {
        lock (_gate)
        {
            var last = _last ?? new StoreHealth(store, StoreState.Unhealthy, 0, "not probed yet");
            var state = _consecutiveFailures >= options.UnhealthyAfterFailures ? StoreState.Unhealthy
                : _consecutiveFailures >= options.DegradedAfterFailures ? StoreState.Degraded
                : last.State;
            var latencies = _window.Where(sample => sample.Succeeded).Select(sample => sample.LatencyMilliseconds).Order().ToArray();
            var successRate = _window.Count == 0 ? 0 : (double)_window.Count(sample => sample.Succeeded) / _window.Count;
            return last with
            {
                State = state,
                ConsecutiveFailures = _consecutiveFailures,
                SuccessRate = successRate,
                LatencyP50Milliseconds = Percentile(latencies, 0.50),
                LatencyP99Milliseconds = Percentile(latencies, 0.99),
                Reconnects = _reconnects,
            };
        }
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
