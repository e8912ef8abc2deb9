using MemorySync.Index;

namespace MemorySync.UnitTests.Index;

public sealed class HeldOutboxPositionTests
{
    [Fact]
    public void Position_OnlyGrows_AndChangesAppliedWhileResolvingWaitForTheNextSnapshot()
    {
        var held = new HeldOutboxPosition();
        held.LoadedThrough(40);
        held.Applied(label: 7, version: 2);
        held.Applied(label: 7, version: 3);
        held.Applied(label: 9, version: 1);

        var taken = held.TakeUnresolved();
        held.Applied(label: 11, version: 1);

        Assert.Equal(new Dictionary<long, long> { [7] = 3, [9] = 1 }, taken);
        held.Resolved(55);
        Assert.Equal(55, held.Position);
        // Changes without an outbox row (a repair) resolve to nothing and never move the position back.
        held.Resolved(0);
        Assert.Equal(55, held.Position);
        Assert.Equal(new Dictionary<long, long> { [11] = 1 }, held.TakeUnresolved());
    }

    [Fact]
    public void NotResolved_KeepsTheTakenChangesForTheNextAttempt_WithoutLoweringANewerVersion()
    {
        var held = new HeldOutboxPosition();
        held.Applied(label: 3, version: 4);
        var taken = held.TakeUnresolved();
        held.Applied(label: 3, version: 6);

        held.NotResolved(taken);

        Assert.Equal(new Dictionary<long, long> { [3] = 6 }, held.TakeUnresolved());
    }

    [Fact]
    public void LoadedThrough_StartsOver_FromWhatTheLoadHolds()
    {
        var held = new HeldOutboxPosition();
        held.Resolved(90);
        held.Applied(label: 1, version: 1);

        held.LoadedThrough(12);

        Assert.Equal(12, held.Position);
        Assert.Empty(held.TakeUnresolved());
    }
}
