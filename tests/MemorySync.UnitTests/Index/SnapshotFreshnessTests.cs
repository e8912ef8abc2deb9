using MemorySync.Index;

namespace MemorySync.UnitTests.Index;

public sealed class SnapshotFreshnessTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(10, true)]
    [InlineData(54, true)]
    // Within five minutes of the retention the replay could race the purge: too old already.
    [InlineData(55, false)]
    [InlineData(61, false)]
    public void IsReplayable_WithAnHourOfRetention(int ageMinutes, bool replayable) =>
        Assert.Equal(replayable, SnapshotFreshness.IsReplayable(TimeSpan.FromMinutes(ageMinutes), Hour));

    [Fact]
    public void IsReplayable_WhenCompletedRowsAreKeptForever_AtAnyAge() =>
        Assert.True(SnapshotFreshness.IsReplayable(TimeSpan.FromDays(30), TimeSpan.Zero));

    [Fact]
    public void IsReplayable_WithAShortRetention_KeepsAQuarterOfItAsHeadroom()
    {
        Assert.True(SnapshotFreshness.IsReplayable(TimeSpan.FromSeconds(44), TimeSpan.FromMinutes(1)));
        Assert.False(SnapshotFreshness.IsReplayable(TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void IsRefreshDue_AtHalfTheRetention_LongBeforeTheSnapshotStopsBeingReplayable()
    {
        Assert.False(SnapshotFreshness.IsRefreshDue(TimeSpan.FromMinutes(29), Hour));
        Assert.True(SnapshotFreshness.IsRefreshDue(TimeSpan.FromMinutes(30), Hour));
        Assert.True(SnapshotFreshness.IsReplayable(TimeSpan.FromMinutes(30), Hour));
        Assert.False(SnapshotFreshness.IsRefreshDue(TimeSpan.FromDays(30), TimeSpan.Zero));
    }
}
