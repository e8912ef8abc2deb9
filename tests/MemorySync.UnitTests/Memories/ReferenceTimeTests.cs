using System.Diagnostics;
using MemorySync.Memories;

namespace MemorySync.UnitTests.Memories;

/// <summary>The time stamps are made from: this machine's clock until anchored, then the anchor plus the monotonic clock.</summary>
public sealed class ReferenceTimeTests
{
    [Fact]
    public void Unanchored_IsThisMachinesClock()
    {
        var time = new ReferenceTime();

        Assert.False(time.IsAnchored);
        Assert.InRange(time.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Anchored_FollowsTheAnchorByTheMonotonicClock_NotThisMachinesClock()
    {
        // PostgreSQL said 10 minutes before this machine's clock: a machine whose clock runs 10 minutes ahead.
        var postgres = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        var time = new ReferenceTime();
        var anchoredAt = Stopwatch.GetTimestamp();
        time.AnchorTo(postgres, anchoredAt);

        var now = time.GetUtcNow();

        Assert.True(time.IsAnchored);
        Assert.InRange(now - postgres, TimeSpan.Zero, Stopwatch.GetElapsedTime(anchoredAt));
    }

    [Fact]
    public void StampsOfAClockOnTheAnchor_AreFencedByPostgresTime()
    {
        // A silo whose own clock is 10 minutes behind, anchored to PostgreSQL: a writer on the true time is admitted.
        var time = new ReferenceTime();
        time.AnchorTo(DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        var fence = new ClockFence(new HybridLogicalClock(time), time, TimeSpan.FromSeconds(60));

        fence.Admit(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        Assert.Throws<MemoryValidationException>(() => fence.Admit((DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds() << 16));
    }
}
