using MemorySync.Configuration;
using MemorySync.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemorySync.Outbox;

/// <summary>
/// Retries what Redis and FAISS missed. Every silo runs one: it claims due outbox rows (other silos skip them), asks
/// each memory's grain to catch its stores up to the current version, and schedules a failed row's next attempt with
/// exponential backoff and jitter, dead-lettering it after <see cref="OutboxOptions.MaxRetries"/> attempts. The queue
/// is in PostgreSQL, so rows pending when a silo dies are drained after it (or another silo) comes back. When a store
/// recovers (<see cref="StoreRecoveries"/>), its dead letters from before go back to pending, one batch per poll, so
/// even a million of them join the queue at the pace it drains.
/// </summary>
internal sealed class OutboxDrainer(
    IOutboxStore outbox,
    IGrainFactory grains,
    StoreRecoveries recoveries,
    IOptions<OutboxOptions> options,
    MemorySyncMetrics metrics,
    ILogger<OutboxDrainer> logger) : BackgroundService
{
    private const int ConcurrentMemories = 16;

    // The outbox gauges of /metrics are refreshed every few polls, not at every scrape, so scrapes cost no query.
    private const int StatusEveryPolls = 5;

    // Completed rows older than Outbox:RetainCompleted go once a minute, in slices of this many.
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(1);
    private const int PurgeSlice = 5000;

    private readonly DrainOutageJudge _outages = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lease = TimeSpan.FromSeconds(Math.Max(30, settings.PollInterval.TotalSeconds * 10));
        var polls = 0L;
        var nextPurge = DateTime.UtcNow + PurgeEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.PollInterval, stoppingToken).ConfigureAwait(false);
                if (++polls % StatusEveryPolls == 1)
                {
                    metrics.UpdateOutbox(await outbox.StatusAsync(stoppingToken).ConfigureAwait(false));
                }

                if (settings.RetainCompleted > TimeSpan.Zero && DateTime.UtcNow >= nextPurge)
                {
                    nextPurge = DateTime.UtcNow + PurgeEvery;
                    await PurgeCompletedAsync(settings.RetainCompleted, stoppingToken).ConfigureAwait(false);
                }

                await RedriveDeadLettersAsync(settings.BatchSize, stoppingToken).ConfigureAwait(false);
                var rows = await outbox.ClaimDueAsync(settings.BatchSize, lease, stoppingToken).ConfigureAwait(false);
                if (rows.Count > 0)
                {
                    await DrainAsync(rows, settings, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // PostgreSQL down, the silo still starting: the next poll tries again; claimed rows come back after their lease.
                OutboxLog.PollFailed(logger, exception);
            }
        }
    }

    private async Task PurgeCompletedAsync(TimeSpan retain, CancellationToken cancellationToken)
    {
        var purged = 0;
        int slice;
        do
        {
            slice = await outbox.PurgeCompletedAsync(retain, PurgeSlice, cancellationToken).ConfigureAwait(false);
            purged += slice;
        }
        while (slice == PurgeSlice);

        if (purged > 0)
        {
            OutboxLog.Purged(logger, purged, retain);
        }
    }

    // One slice per recovered store and poll; the store stays due until a slice comes back short.
    private async Task RedriveDeadLettersAsync(int slice, CancellationToken cancellationToken)
    {
        foreach (var (store, recoveredAt) in recoveries.Due())
        {
            var result = await outbox.RequeueDeadAsync(store, [store], recoveredAt, slice, cancellationToken).ConfigureAwait(false);
            if (result.Requeued + result.Completed > 0)
            {
                OutboxLog.Redriven(logger, store, result.Requeued, result.Completed, recoveredAt);
            }

            if (result.Requeued + result.Completed < slice)
            {
                recoveries.Done(store, recoveredAt);
            }
        }
    }

    private async Task DrainAsync(IReadOnlyList<OutboxRow> rows, OutboxOptions settings, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(ConcurrentMemories);
        var memories = rows.GroupBy(row => row.MemoryId, StringComparer.Ordinal).Select(async group =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await DrainMemoryAsync(group.Key, group.ToList(), settings, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        });
        var outcomes = (await Task.WhenAll(memories).ConfigureAwait(false)).SelectMany(outcome => outcome).ToList();
        foreach (var store in outcomes.Select(outcome => outcome.Store).Distinct(StringComparer.Ordinal))
        {
            var ofStore = outcomes.Where(outcome => outcome.Store == store).ToList();
            var failedMemories = ofStore.Where(outcome => !outcome.Synced).Select(outcome => outcome.MemoryId).Distinct(StringComparer.Ordinal).Count();
            if (_outages.Recovered(store, failedMemories, ofStore.Count(outcome => outcome.Synced)))
            {
                recoveries.Recovered(store, DateTimeOffset.UtcNow);
            }
        }
    }

    private async Task<IEnumerable<(string MemoryId, string Store, bool Synced)>> DrainMemoryAsync(string memoryId, List<OutboxRow> rows, OutboxOptions settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> inSync;
        long version;
        string error;
        try
        {
            var result = await grains.GetGrain<IMemoryGrain>(memoryId).ReplicateAsync().ConfigureAwait(false);
            inSync = result.InSync;
            version = result.Version;
            error = result.Error ?? "store did not take the write";
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            inSync = [];
            version = 0;
            error = exception.Message;
        }

        // Rows of stores that now hold the current version were marked done by the grain; the others failed again.
        var failed = rows.Where(row => !inSync.Contains(row.Store) || row.Version > version).ToList();
        foreach (var row in failed)
        {
            var attempts = row.Attempts + 1;
            var dead = attempts >= settings.MaxRetries;
            var delay = RetrySchedule.DelayAfter(attempts, settings, Random.Shared.NextDouble());
            await outbox.RecordFailureAsync(row.QueueId, error, delay, dead, cancellationToken).ConfigureAwait(false);
            if (dead)
            {
                OutboxLog.DeadLettered(logger, row.MemoryId, row.Version, row.Store, attempts, error);
            }
        }

        return rows.Select(row => (row.MemoryId, row.Store, Synced: !failed.Contains(row)));
    }
}
