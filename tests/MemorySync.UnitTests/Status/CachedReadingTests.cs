using MemorySync.Silo.Status;

namespace MemorySync.UnitTests.Status;

public sealed class CachedReadingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ConcurrentReaders_InsideTheWindow_ShareOneRead()
    {
        var clock = new SteppedTime();
        var reads = 0;
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new CachedReading<int>(() => { Interlocked.Increment(ref reads); return release.Task; }, Window, clock);

        // All of them ask while the one read is still running, as a burst of /health requests would.
        var waiting = Enumerable.Range(0, 50).Select(_ => Task.Run(cache.GetAsync)).ToArray();
        var all = Task.WhenAll(waiting);
        release.SetResult(7);
        var answers = await all;

        clock.Advance(Window / 2);
        Assert.Equal(7, await cache.GetAsync());
        Assert.All(answers, a => Assert.Equal(7, a));
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task ReadAfterTheWindow_ReadsAgain()
    {
        var clock = new SteppedTime();
        var reads = 0;
        var cache = new CachedReading<int>(() => Task.FromResult(Interlocked.Increment(ref reads)), Window, clock);

        Assert.Equal(1, await cache.GetAsync());
        clock.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await cache.GetAsync());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await cache.GetAsync());
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task FailedRead_IsNotKeptForTheWindow()
    {
        var clock = new SteppedTime();
        var reads = 0;
        var cache = new CachedReading<int>(() =>
            ++reads == 1
                ? Task.FromException<int>(new InvalidOperationException("PostgreSQL unreachable"))
                : Task.FromResult(reads), Window, clock);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(cache.GetAsync);
        Assert.Equal("PostgreSQL unreachable", failure.Message);

        // Still inside the window: the failure must not be served again, the stores are asked once more.
        Assert.Equal(2, await cache.GetAsync());
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task CanceledRead_IsNotKeptForTheWindow()
    {
        var clock = new SteppedTime();
        var reads = 0;
        var cache = new CachedReading<int>(() =>
            ++reads == 1 ? Task.FromCanceled<int>(new CancellationToken(canceled: true)) : Task.FromResult(reads),
            Window, clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(cache.GetAsync);
        Assert.Equal(2, await cache.GetAsync());
    }

    private sealed class SteppedTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
