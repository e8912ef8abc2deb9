using System.Diagnostics;
using MemorySync.Client;

namespace MemorySync.Cli.Bench;

/// <summary>Times a consistency sweep of every partition, started on demand.</summary>
internal static class SweepTimer
{
    /// <summary>
    /// Runs the measurement with the reminders' sweeps held off (once running ones finished): a sweep beside the
    /// measured rows would bill them its CPU, and would repair damage a measurement put there on purpose.
    /// </summary>
    public static async Task<T> WithRemindersPausedAsync<T>(MemorySyncClient client, Func<Task<T>> measure, CancellationToken cancellationToken)
    {
        await client.Operations.PauseSweepRemindersAsync(TimeSpan.FromHours(1));
        try
        {
            await WaitUntilNoSweepRunsAsync(client, cancellationToken);
            return await measure();
        }
        finally
        {
            await client.Operations.PauseSweepRemindersAsync(TimeSpan.Zero);
        }
    }

    public static async Task WaitUntilNoSweepRunsAsync(MemorySyncClient client, CancellationToken cancellationToken)
    {
        while ((await client.Operations.GetSweepStatusAsync()).Any(status => status.Phase != "idle"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>Starts every partition's sweep and waits until each has finished one that started after this call.</summary>
    public static async Task<TimedSweep> TimeAsync(MemorySyncClient client, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await client.Operations.SweepNowAsync();
        while (true)
        {
            var statuses = await client.Operations.GetSweepStatusAsync();
            if (statuses.All(status => status.Phase == "idle" && status.LastSweep is { } last && last.StartedAt >= started.AddSeconds(-1)))
            {
                var sweeps = statuses.Select(status => status.LastSweep!).ToList();
                return new TimedSweep(clock.Elapsed.TotalSeconds, sweeps.Sum(sweep => sweep.Examined), sweeps.Sum(sweep => sweep.RangesDiffering),
                    sweeps.Sum(sweep => sweep.RecordsRead), sweeps.Sum(sweep => sweep.Inconsistent), sweeps.Sum(sweep => sweep.Repaired));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}

/// <summary>A sweep of every partition: how long until all finished, and what they examined, read, found and repaired.</summary>
internal sealed record TimedSweep(double Seconds, long Examined, int RangesDiffering, long RecordsRead, int Inconsistent, int Repaired);
