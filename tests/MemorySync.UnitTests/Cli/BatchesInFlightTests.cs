extern alias cli;

using cli::MemorySync.Cli.Import;

namespace MemorySync.UnitTests.Cli;

public sealed class BatchesInFlightTests
{
    [Fact]
    public async Task Run_KeepsUpToWidthBatchesInFlight_AndReportsEveryOne()
    {
        var window = new BatchesInFlight<string, string>(3, id => id);
        var batches = Enumerable.Range(0, 10).Select(b => new[] { $"m{b}-a", $"m{b}-b" }).ToList();
        var inFlight = 0;
        var most = 0;
        var reported = new List<string>();

        await window.RunAsync(batches, async batch =>
        {
            most = Math.Max(most, Interlocked.Increment(ref inFlight));
            // Each batch waits for the others to start, so the window fills whenever it may.
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
            return batch;
        }, (_, outcomes) => reported.AddRange(outcomes));

        Assert.Equal(3, most);
        Assert.Equal(batches.SelectMany(batch => batch).Order(), reported.Order());
    }

    [Fact]
    public async Task Run_ABatchNamingAMemoryInFlight_WaitsForTheEarlierBatch()
    {
        // Batch 1 names m1 as batch 0 does: it may start only after batch 0 ended, even with room in the window.
        var window = new BatchesInFlight<string, string>(4, id => id);
        string[][] batches = [["m1", "m2"], ["m3", "m1"], ["m4"]];
        var firstDone = new TaskCompletionSource();
        var started = new List<string>();

        var run = window.RunAsync(batches, async batch =>
        {
            lock (started)
            {
                started.Add(string.Join(',', batch));
            }

            if (batch[0] == "m1")
            {
                await firstDone.Task;
            }

            return batch;
        }, (_, _) => { });

        // RunAsync has returned at its first wait: the batches it could start are started.
        lock (started)
        {
            Assert.Equal(["m1,m2"], started);
        }

        firstDone.SetResult();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["m1,m2", "m3,m1", "m4"], started);
    }
}
