using MemorySync.Configuration;
using MemorySync.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;

namespace MemorySync.Consistency;

/// <summary>
/// One partition's consistency sweeps: when they run, and what they report. A reminder (or an operator) starts a sweep;
/// the sweep (<see cref="SweepRun"/>) runs in the background on the grain's scheduler, so status calls are answered
/// meanwhile, and checkpoints its progress in grain storage; an activation that finds an unfinished checkpoint resumes it.
/// </summary>
[Reentrant]
// Partitions spread over the silos by the hash of their key, so sweeps share the cluster's work.
[HashBasedPlacement]
internal sealed class ConsistencyGrain(
    [PersistentState("sweep", "postgres")] IPersistentState<SweepState> checkpoint,
    PartitionInspector inspector,
    IGrainFactory grains,
    IOptions<ConsistencyOptions> consistencyOptions,
    IOptions<ReminderOptions> reminderOptions,
    MemorySyncMetrics metrics,
    ILogger<ConsistencyGrain> logger) : Grain, IConsistencyGrain, IRemindable, IIncomingGrainCallFilter
{
    private const string ReminderName = "sweep";

    private readonly InconsistencyHandler _inconsistencies = new(grains, metrics, logger);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sweep;

    // A sweep asked for while one runs starts when that one ends, so the caller gets one that began after its request.
    private bool _sweepAgain;

    private int Partition => (int)this.GetPrimaryKeyLong();

    private SweepState State => checkpoint.State;

    // A partition number outside the configured ones owns no ranges: it never sweeps, schedules or checkpoints, and
    // every call to it is refused. (Its activation has read its checkpoint row, one lookup by key, which finds none.)
    private bool IsConfiguredPartition => this.GetPrimaryKeyLong() >= 0 && this.GetPrimaryKeyLong() < consistencyOptions.Value.Partitions;

    public Task Invoke(IIncomingGrainCallContext context) => IsConfiguredPartition
        ? context.Invoke()
        : Task.FromException(new MemoryValidationException("partition",
            $"{this.GetPrimaryKeyLong()} is not a consistency partition of this deployment: partitions are 0..{consistencyOptions.Value.Partitions - 1} (Consistency:Partitions)"));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!IsConfiguredPartition)
        {
            return Task.CompletedTask;
        }

        if (State.Phase != SweepState.Idle)
        {
            // A sweep was running when its silo died or the grain was deactivated: go on from the checkpoint.
            State.Resumes++;
            var differing = State.DifferingRanges();
            State.ResumedAtRange = State.Phase == SweepState.Detail && State.DetailIndex < differing.Count
                ? differing[State.DetailIndex]
                : consistencyOptions.Value.RangesOf(Partition).First;
            ConsistencyLog.SweepResumed(logger, Partition, State.ResumedAtRange.Value, State.Phase);
            _sweep = SweepAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_sweep is not null)
        {
            await _sweep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        _stopping.Dispose();
    }

    public async Task EnsureScheduledAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            var period = Max(consistencyOptions.Value.SweepPeriod, reminderOptions.Value.MinimumReminderPeriod);
            // Spread the partitions' first sweeps over one period instead of starting them all at once.
            var due = period * (1 + (double)Partition / consistencyOptions.Value.Partitions);
            await this.RegisterOrUpdateReminder(ReminderName, due, period);
        }

        DeactivateWhenIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (DateTimeOffset.UtcNow < State.RemindersPausedUntil)
        {
            DeactivateWhenIdle();
        }
        else if (_sweep is not { IsCompleted: false })
        {
            await BeginSweepAsync();
        }
    }

    public async Task<SweepStatus> SweepNowAsync()
    {
        if (_sweep is { IsCompleted: false })
        {
            _sweepAgain = true;
        }
        else
        {
            await BeginSweepAsync();
        }

        return await GetStatusAsync();
    }

    public Task PauseRemindersAsync(TimeSpan duration)
    {
        var longest = consistencyOptions.Value.MaxReminderPause;
        if (duration < TimeSpan.Zero || duration > longest)
        {
            throw new MemoryValidationException("duration", $"must be between 0 and Consistency:MaxReminderPause ({longest}), not {duration}");
        }

        State.RemindersPausedUntil = DateTimeOffset.UtcNow + duration;
        return checkpoint.WriteStateAsync();
    }

    public Task<SweepStatus> GetStatusAsync()
    {
        var (first, end) = consistencyOptions.Value.RangesOf(Partition);
        var rangeCount = end - first;
        var differing = State.Phase == SweepState.Detail ? State.DifferingRanges().Count : 0;
        var done = State.Phase == SweepState.Detail ? rangeCount - differing + State.DetailIndex : 0;
        return Task.FromResult(new SweepStatus(Partition, State.Phase, State.Phase == SweepState.Idle ? null : State.StartedAt,
            done, rangeCount, State.Resumes, State.LastSweep, differing));
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckAsync()
    {
        var (first, end) = consistencyOptions.Value.RangesOf(Partition);
        var redisDigests = await inspector.RedisDigestsAsync(first, end);
        var comparison = await inspector.CompareAsync(first, end, redisDigests);
        var redisIds = await inspector.ListRedisIdsAsync(comparison.RedisDiffering);
        var (found, _) = await inspector.InspectAsync(comparison.RedisDiffering, comparison.FaissDiffering, redisIds);
        _inconsistencies.Report(found);
        return found.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, bool>> RepairAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies)
    {
        RepairRequest.Validate(inconsistencies);
        return await _inconsistencies.RepairAllAsync(inconsistencies.Select(pair => (pair.Key, pair.Value)), CancellationToken.None);
    }

    // The start is checkpointed before the sweep runs, so a sweep that was asked for is never lost: if this activation
    // goes away first, the next one finds the checkpoint and resumes it.
    private async Task BeginSweepAsync()
    {
        if (State.Phase == SweepState.Idle)
        {
            State.Phase = SweepState.Digest;
            State.StartedAt = DateTimeOffset.UtcNow;
            await checkpoint.WriteStateAsync();
        }

        if (_sweep is not { IsCompleted: false })
        {
            // Runs on the grain's scheduler: every turn of it is single-threaded with the grain's calls.
            _sweep = SweepAsync(_stopping.Token);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var run = new SweepRun(checkpoint, Partition, inspector, _inconsistencies, consistencyOptions.Value, DelayDeactivation, logger);
        try
        {
            await run.RunAsync(cancellationToken);
            // Runs as a turn of its own, after this sweep completed: it sees no sweep running.
            _ = Task.Factory.StartNew(StartRequestedSweepAsync, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Current).Unwrap();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deactivating: the checkpoint stays, and the next activation resumes from it.
        }
        catch (Exception exception)
        {
            ConsistencyLog.SweepFailed(logger, exception, Partition);
        }
    }

    private async Task StartRequestedSweepAsync()
    {
        try
        {
            if (_sweepAgain && !_stopping.IsCancellationRequested)
            {
                _sweepAgain = false;
                await BeginSweepAsync();
            }
            else
            {
                DeactivateWhenIdle();
            }
        }
        catch (Exception exception)
        {
            ConsistencyLog.SweepFailed(logger, exception, Partition);
        }
    }

    // Between sweeps the partition holds nothing in memory that its checkpoint does not: letting it go means the next
    // reminder tick places it again (by the hash of its key), so partitions spread over the silos there are now,
    // including silos that joined after the first sweeps.
    private void DeactivateWhenIdle()
    {
        if (_sweep is not { IsCompleted: false })
        {
            DeactivateOnIdle();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
