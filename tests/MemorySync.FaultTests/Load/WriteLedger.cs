using System.Collections.Concurrent;

namespace MemorySync.FaultTests.Load;

/// <summary>Every write the workload sent and what came back, and how its reads went; written by many writers at once.</summary>
internal sealed class WriteLedger
{
    private readonly ConcurrentQueue<LedgerEntry> _entries = new();
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _firstFailures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _backwardReads = new();
    private long _reads;
    private long _conflictAware;
    private long _searches;
    private long _failedSearches;
    private long _slowestFailureTicks;

    public IReadOnlyList<LedgerEntry> Entries => [.. _entries];

    public int Acknowledged => _entries.Count(entry => entry.Acknowledged);

    public int Unknown => _entries.Count(entry => entry.IsUnknown);

    /// <summary>Writes refused with nothing stored (a precondition that no longer held, a strict write rolled back).</summary>
    public int Refused => _entries.Count(entry => entry.Refused);

    /// <summary>Conflict-aware writes (based on a version read) that got an answer: acknowledged or refused.</summary>
    public long ConflictAware => Interlocked.Read(ref _conflictAware);

    /// <summary>Reads that got an answer (a memory or none).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Every read that returned a version older than its reader had already seen.</summary>
    public IReadOnlyList<string> BackwardReads => [.. _backwardReads];

    public long Searches => Interlocked.Read(ref _searches);

    public long FailedSearches => Interlocked.Read(ref _failedSearches);

    /// <summary>How the failed calls failed, by exception type: what a caller saw during the fault.</summary>
    public string Failures => string.Join(", ", _failures.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} x{pair.Value}"));

    /// <summary>The first failure of each type, whole (message and stack): what to read when a type is unexpected.</summary>
    public string FirstFailureOf(string type) => _firstFailures.GetValueOrDefault(type, string.Empty);

    /// <summary>The exception types the failed calls ended with.</summary>
    public IReadOnlyCollection<string> FailureTypes => [.. _failures.Keys];

    public void Record(LedgerEntry entry) => _entries.Enqueue(entry);

    /// <summary>How long the slowest failed call took to fail: whether a caller learns of an outage at once.</summary>
    public TimeSpan SlowestFailure => TimeSpan.FromTicks(Interlocked.Read(ref _slowestFailureTicks));

    public void RecordFailure(Exception exception, TimeSpan took)
    {
        _failures.AddOrUpdate(exception.GetType().Name, 1, (_, count) => count + 1);
        _firstFailures.TryAdd(exception.GetType().Name, exception.ToString());
        var ticks = took.Ticks;
        for (var slowest = Interlocked.Read(ref _slowestFailureTicks); ticks > slowest; slowest = Interlocked.Read(ref _slowestFailureTicks))
        {
            if (Interlocked.CompareExchange(ref _slowestFailureTicks, ticks, slowest) == slowest)
            {
                break;
            }
        }
    }

    /// <summary>A read that answered; <paramref name="backward"/> says how it went back, when it did.</summary>
    public void RecordRead(string? backward)
    {
        Interlocked.Increment(ref _reads);
        if (backward is not null)
        {
            _backwardReads.Enqueue(backward);
        }
    }

    public void RecordConflictAware() => Interlocked.Increment(ref _conflictAware);

    public void RecordSearch(bool succeeded)
    {
        Interlocked.Increment(ref _searches);
        if (!succeeded)
        {
            Interlocked.Increment(ref _failedSearches);
        }
    }
}
