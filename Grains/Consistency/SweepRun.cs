using System.Diagnostics;
using MemorySync.Configuration;
using Microsoft.Extensions.Logging;

namespace MemorySync.Consistency;

/// <summary>
/// One sweep of a partition, phase by phase, from wherever its checkpoint says it stopped: digest (Redis SCAN pass, then
/// PostgreSQL's and the index shards' digests) and detail (records compared, and repaired, only in the ranges whose
/// digests differ). Its progress is the checkpoint's state, written to grain storage as it goes, so a sweep cut short
/// is resumed by the next activation. The grain decides when a sweep runs; this runs on the grain's scheduler.
/// </summary>
internal sealed class SweepRun(
    IPersistentState<SweepState> checkpoint,
    int partition,
    PartitionInspector inspector,
    InconsistencyHandler inconsistencies,
    ConsistencyOptions options,
    Action<TimeSpan> delayDeactivation,
    ILogger logger)
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly (int First, int End) _ranges = options.RangesOf(partition);
    private readonly SweepThrottle _throttle = new(options.MaxMemoriesPerSecond);
    private readonly long _started = Stopwatch.GetTimestamp();

    // Read through the checkpoint each time: finishing replaces its state with a fresh one.
    private SweepState State => checkpoint.State;

    /// <summary>Runs the sweep to its end, then checkpoints it as finished: its summary kept, its progress cleared.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (State.Phase == SweepState.Digest)
        {
            await DigestPhaseAsync(_ranges.First, _ranges.End, cancellationToken);
        }

        await DetailPhaseAsync(cancellationToken);
        Finish(Stopwatch.GetElapsedTime(_started));
        await checkpoint.WriteStateAsync(CancellationToken.None);
    }

    private async Task DigestPhaseAsync(int first, int end, CancellationToken cancellationToken)
    {
        var digests = State.RedisDigests.ToDictionary(digest => digest.Range);
        var lastCheckpoint = Stopwatch.GetTimestamp();
        do
        {
            var step = await inspector.RedisDigestStepAsync(State.ScanCursor, first, end);
            PartitionInspector.Merge(digests, step.Digests);
            State.ScanCursor = step.Cursor;
            if (Stopwatch.GetElapsedTime(lastCheckpoint) >= CheckpointInterval && State.ScanCursor != 0)
            {
                State.RedisDigests = [.. digests.Values];
                await checkpoint.WriteStateAsync(cancellationToken);
                lastCheckpoint = Stopwatch.GetTimestamp();
            }

            delayDeactivation(TimeSpan.FromMinutes(5));
            await _throttle.WaitAsync(step.Digests.Sum(digest => digest.Count), cancellationToken);
        }
        while (State.ScanCursor != 0);

        var comparison = await inspector.CompareAsync(first, end, digests);
        State.RedisDigests = [];
        State.RedisDiffering = [.. comparison.RedisDiffering];
        State.FaissDiffering = [.. comparison.FaissDiffering];
        State.Examined = comparison.Examined;
        State.DetailIndex = 0;
        State.Phase = SweepState.Detail;
        await checkpoint.WriteStateAsync(cancellationToken);
    }

    private async Task DetailPhaseAsync(CancellationToken cancellationToken)
    {
        var differing = State.DifferingRanges();
        if (State.DetailIndex >= differing.Count)
        {
            return;
        }

        var redisRanges = State.RedisDiffering.ToHashSet();
        var faissRanges = State.FaissDiffering.ToHashSet();
        // One SCAN pass lists Redis's ids in every range still to compare, instead of one pass per step.
        var redisIds = await inspector.ListRedisIdsAsync(differing.Skip(State.DetailIndex).Where(redisRanges.Contains).ToList());
        var step = options.RangesPerStep;
        while (State.DetailIndex < differing.Count)
        {
            var chunk = differing.Skip(State.DetailIndex).Take(step).ToList();
            var (found, read) = await inspector.InspectAsync(chunk.Where(redisRanges.Contains).ToList(),
                chunk.Where(faissRanges.Contains).ToList(), redisIds);
            inconsistencies.Report(found);
            State.RecordsRead += read;
            State.Inconsistent += found.Count;
            if (options.RepairAutomatically)
            {
                var repaired = await inconsistencies.RepairAllAsync(found.Select(pair => (pair.Key, (IReadOnlyList<string>)pair.Value)), cancellationToken);
                State.Repaired += repaired.Count(pair => pair.Value);
                State.RepairFailed += repaired.Count(pair => !pair.Value);
            }

            State.DetailIndex += chunk.Count;
            await checkpoint.WriteStateAsync(cancellationToken);
            delayDeactivation(TimeSpan.FromMinutes(5));
            await _throttle.WaitAsync(read, cancellationToken);
        }
    }

    private void Finish(TimeSpan elapsed)
    {
        var differing = State.DifferingRanges().Count;
        State.LastSweep = new SweepSummary(State.StartedAt, DateTimeOffset.UtcNow, State.Examined, differing, State.RecordsRead,
            State.Inconsistent, State.Repaired, State.RepairFailed, State.Resumes, State.ResumedAtRange);
        ConsistencyLog.SweepFinished(logger, partition, State.Examined, differing, State.Inconsistent, State.Repaired, State.RepairFailed,
            elapsed.TotalSeconds);
        checkpoint.State = new SweepState { LastSweep = State.LastSweep, RemindersPausedUntil = State.RemindersPausedUntil };
    }
}
