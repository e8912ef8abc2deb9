using MemorySync.Configuration;
using MemorySync.Outbox;

namespace MemorySync.UnitTests.Memories;

public sealed class RetryScheduleTests
{
    private static readonly OutboxOptions Options = new()
    {
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(10),
        Jitter = 0.2,
    };

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(4, 8000)]
    [InlineData(5, 10000)]
    [InlineData(40, 10000)]
    public void DelayAfter_DoublesFromTheBaseUpToTheCap(int attempts, double expectedMilliseconds)
    {
        // unitRandom 0.5 is the middle of the jitter band: no spread.
        Assert.Equal(expectedMilliseconds, RetrySchedule.DelayAfter(attempts, Options, 0.5).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void DelayAfter_SpreadsByTheJitterEitherWay()
    {
        Assert.Equal(800, RetrySchedule.DelayAfter(1, Options, 0).TotalMilliseconds, precision: 6);
        Assert.Equal(1200, RetrySchedule.DelayAfter(1, Options, 1).TotalMilliseconds, precision: 6);
    }
}
