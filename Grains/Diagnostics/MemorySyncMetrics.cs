using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MemorySync.Diagnostics;

/// <summary>
/// MemorySync's own instruments, on the meter "MemorySync", named and unit-ed the OpenTelemetry way (dots, base units);
/// /metrics exposes them in Prometheus form (memorysync_sync_total, memorysync_sync_duration_seconds, …).
/// </summary>
public sealed class MemorySyncMetrics
{
    public const string MeterName = "MemorySync";

    private readonly Counter<long> _syncs;
    private readonly Histogram<double> _syncDuration;
    private readonly Counter<long> _consistencyErrors;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _healthChecks;
    private readonly Counter<long> _statusReads;
    private readonly Counter<long> _indexSnapshotsRefused;
    private readonly Dictionary<string, StoreState> _storeStates = new(StringComparer.Ordinal);
    private OutboxStatus? _outbox;

    // Writes (PostgreSQL commits) per 10-second bucket over the last five minutes, for the status page's charts.
    private const int BucketSeconds = 10;
    private const int Buckets = 30;
    private readonly (long Start, long Count, double Seconds)[] _recent = new (long, long, double)[Buckets];
    private readonly Lock _recentGate = new();
    private double _clockOffsetSeconds;

    public MemorySyncMetrics(IMeterFactory meterFactory, ConnectionPoolUsage pools)
    {
        var meter = meterFactory.Create(MeterName);
        _syncs = meter.CreateCounter<long>("memorysync.sync", "{sync}", "Writes of a memory version to one store, by store and outcome (success or failure).");
        _syncDuration = meter.CreateHistogram<double>("memorysync.sync.duration", "s", "How long one store took to take one memory version.");
        _consistencyErrors = meter.CreateCounter<long>("memorysync.consistency.errors", "{error}", "Memories a consistency check found differing from PostgreSQL, by store (redis or faiss).");
        _conflicts = meter.CreateCounter<long>("memorysync.conflicts", "{conflict}", "Conflicting writes, by strategy and outcome (resolved, or open for an operator).");
        _healthChecks = meter.CreateCounter<long>("memorysync.health.checks", "{check}", "Health probes of each store, by result (success or failure).");
        _statusReads = meter.CreateCounter<long>("memorysync.status.reads", "{read}",
            "Reads of the stores behind /health and /status.json, by reading (health, status); each is cached for Status:CacheSeconds, so a flood of requests costs few.");
        _indexSnapshotsRefused = meter.CreateCounter<long>("memorysync.index.snapshots.refused", "{snapshot}",
            "Index shard snapshots not saved because a newer one stood (a later activation of the shard, or a later save of the same one).");
        meter.CreateObservableGauge("memorysync.connection.pool.size", () => ObservePools(pools), "{connection}",
            "Connections of each store's pool on this silo, by state: in_use, idle (PostgreSQL) and max.");
        meter.CreateObservableGauge("memorysync.store.state", ObserveStoreStates, "{state}", "Each store's judged state: 0 healthy, 1 degraded, 2 unhealthy.");
        meter.CreateObservableGauge("memorysync.outbox.pending", () => _outbox?.Pending ?? 0, "{row}", "Outbox rows still owed to Redis or FAISS (as of the last outbox poll).");
        meter.CreateObservableGauge("memorysync.outbox.dead", () => _outbox?.Dead ?? 0, "{row}", "Outbox rows dead-lettered after too many failed attempts.");
        meter.CreateObservableGauge("memorysync.outbox.oldest_pending.age", () => _outbox?.OldestPendingSeconds ?? 0, "s", "Age of the oldest pending outbox row.");
        meter.CreateObservableGauge("memorysync.clock.offset", () => Volatile.Read(ref _clockOffsetSeconds), "s",
            "How far this silo's wall clock is from PostgreSQL's (positive: ahead), as last measured; stamps use PostgreSQL's time whatever it is.");
        ExportKnownSeriesAtZero();
    }

    // A counter's series appears with its first event; an alert on a rate of failures or consistency errors could not
    // tell "none yet" from "not scraped". Adding 0 for every known label value makes each series exist from start-up.
    private void ExportKnownSeriesAtZero()
    {
        // The label values the recorders are given (StoreNames, ConflictSides.StrategyName), as text: this namespace
        // is below the stores and the memories, which record into it.
        string[] stores = ["postgres", "redis", "faiss"];
        string[] successOrFailure = ["success", "failure"];
        foreach (var store in stores)
        {
            var storeTag = new KeyValuePair<string, object?>("store", store);
            foreach (var outcome in successOrFailure)
            {
                _syncs.Add(0, storeTag, new KeyValuePair<string, object?>("outcome", outcome));
                _healthChecks.Add(0, storeTag, new KeyValuePair<string, object?>("result", outcome));
            }
        }

        foreach (var store in new[] { "redis", "faiss" })
        {
            _consistencyErrors.Add(0, new KeyValuePair<string, object?>("store", store));
        }

        foreach (var strategy in new[] { "latest_wins", "merge", "version_vector", "manual" })
        {
            foreach (var outcome in new[] { "resolved", "open" })
            {
                _conflicts.Add(0, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("outcome", outcome));
            }
        }

        foreach (var reading in new[] { "health", "status" })
        {
            _statusReads.Add(0, new KeyValuePair<string, object?>("reading", reading));
        }

        _indexSnapshotsRefused.Add(0);
    }

    /// <summary>Writes per second and their mean latency, per 10-second bucket of the last five minutes, oldest first.</summary>
    public IReadOnlyList<ThroughputSample> RecentWrites()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / BucketSeconds;
        var samples = new List<ThroughputSample>(Buckets);
        lock (_recentGate)
        {
            for (var start = now - Buckets + 1; start <= now; start++)
            {
                var bucket = _recent[start % Buckets];
                var count = bucket.Start == start ? bucket.Count : 0;
                var seconds = bucket.Start == start ? bucket.Seconds : 0;
                samples.Add(new ThroughputSample(DateTimeOffset.FromUnixTimeSeconds(start * BucketSeconds), count / (double)BucketSeconds,
                    count == 0 ? 0 : seconds / count * 1000));
            }
        }

        return samples;
    }

    /// <summary>Records one store's attempt at one version.</summary>
    public void RecordSync(string store, bool succeeded, TimeSpan elapsed)
    {
        if (store == "postgres" && succeeded)
        {
            var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / BucketSeconds;
            lock (_recentGate)
            {
                ref var bucket = ref _recent[start % Buckets];
                bucket = bucket.Start == start ? (start, bucket.Count + 1, bucket.Seconds + elapsed.TotalSeconds) : (start, 1, elapsed.TotalSeconds);
            }
        }

        var storeTag = new KeyValuePair<string, object?>("store", store);
        _syncs.Add(1, storeTag, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
        _syncDuration.Record(elapsed.TotalSeconds, storeTag);
    }

    public void RecordConflict(string strategy, string outcome) =>
        _conflicts.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>One health probe of one store, and the state the monitor judged from it.</summary>
    public void RecordHealthCheck(string store, bool succeeded, StoreState state)
    {
        _healthChecks.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("result", succeeded ? "success" : "failure"));
        lock (_storeStates)
        {
            _storeStates[store] = state;
        }
    }

    private static IEnumerable<Measurement<long>> ObservePools(ConnectionPoolUsage pools) =>
        new[] { "postgres", "redis" }.SelectMany(store => pools.Of(store).Select(state => new Measurement<long>(state.Value,
            new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("state", state.Key))));

    private IEnumerable<Measurement<int>> ObserveStoreStates()
    {
        lock (_storeStates)
        {
            return _storeStates.Select(entry => new Measurement<int>((int)entry.Value, new KeyValuePair<string, object?>("store", entry.Key))).ToList();
        }
    }

    /// <summary>One read of the stores for an operator page, made when its cached copy had expired.</summary>
    public void RecordStatusRead(string reading) => _statusReads.Add(1, new KeyValuePair<string, object?>("reading", reading));

    /// <summary>An index shard's snapshot that a newer one kept from being saved.</summary>
    public void RecordClockOffset(TimeSpan offset) => Volatile.Write(ref _clockOffsetSeconds, offset.TotalSeconds);

    public void RecordIndexSnapshotRefused() => _indexSnapshotsRefused.Add(1);

    public void RecordConsistencyError(string store) => _consistencyErrors.Add(1, new KeyValuePair<string, object?>("store", store));

    /// <summary>The outbox's latest state, read by the gauges at each scrape.</summary>
    public void UpdateOutbox(OutboxStatus status) => _outbox = status;

    /// <summary>Times a store call and records it, success or failure (awaited on the caller's scheduler).</summary>
    public async Task<T> TimeAsync<T>(string store, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call();
            RecordSync(store, succeeded: true, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch
        {
            RecordSync(store, succeeded: false, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    public Task TimeAsync(string store, Func<Task> call) => TimeAsync(store, async () =>
    {
        await call();
        return true;
    });
}
