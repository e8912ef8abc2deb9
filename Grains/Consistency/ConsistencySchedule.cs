using MemorySync.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemorySync.Consistency;

/// <summary>
/// Once the silo is active, makes sure every partition has its sweep reminder (and so activates each partition,
/// which resumes a sweep a crash interrupted). Retries in the background until it succeeds; never blocks start-up.
/// </summary>
internal sealed class ConsistencySchedule(IGrainFactory grains, IOptions<ConsistencyOptions> options, ILogger<ConsistencySchedule> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _scheduling;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ConsistencySchedule), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _scheduling = Task.Run(() => ScheduleAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_scheduling is not null)
        {
            await _scheduling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(0, options.Value.Partitions).ToList();
        while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var failed = new List<int>();
            foreach (var partition in pending)
            {
                try
                {
                    await grains.GetGrain<IConsistencyGrain>(partition).EnsureScheduledAsync();
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    if (failed.Count == 0)
                    {
                        ConsistencyLog.SchedulingFailed(logger, exception, (int)RetryDelay.TotalSeconds);
                    }

                    failed.Add(partition);
                }
            }

            pending = failed;
            if (pending.Count > 0)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
