using MemorySync.Memories;

namespace MemorySync.UnitTests.Memories;

public sealed class ConflictResolverTests
{
    private static readonly float[] CurrentVector = [1f, 0f];
    private static readonly float[] IncomingVector = [0f, 1f];

    private static MemoryRecord Current(long version, Dictionary<string, long> vector) => new(
        "m1", "agent", "current content", MemoryTypes.Semantic, 0.4, """{"a":1,"shared":"current"}""", version, "c",
        DateTimeOffset.UnixEpoch, vector, StoreVersions.None, false, "caller", 2);

    private static MemoryContent Incoming(long hlc) => new(
        "agent", "incoming content", MemoryTypes.Episodic, 0.9, """{"b":2,"shared":"incoming"}""", IncomingVector, "caller", hlc);

    private static ConflictDecision Decide(MemoryWrite write, ConflictStrategy strategy, long incomingHlc, long currentHlc = 100,
        ConflictStrategy fallback = ConflictStrategy.LatestWins) =>
        ConflictResolver.Decide(Current(3, new() { ["w1"] = 2, ["w2"] = 1 }), currentHlc, CurrentVector, write, Incoming(incomingHlc), "w3",
            strategy, fallback);

    [Fact]
    public void BlindWrite_Supersedes_WithoutAConflict()
    {
        var decision = Decide(new MemoryWrite("m1", "x"), ConflictStrategy.Manual, incomingHlc: 1);

        Assert.Equal(ConflictOutcome.Apply, decision.Outcome);
        Assert.False(decision.IsConflict);
    }

    [Fact]
    public void WriteBasedOnTheCurrentVersion_Supersedes()
    {
        Assert.Equal(ConflictOutcome.Apply, Decide(new MemoryWrite("m1", "x", BaseVersion: 3), ConflictStrategy.Manual, 1).Outcome);
    }

    [Theory]
    [InlineData(200, "Apply")]
    [InlineData(50, "KeepCurrent")]
    public void LatestWins_OnAConcurrentWrite_KeepsTheSideWithTheLaterHlc(long incomingHlc, string expected)
    {
        var decision = Decide(new MemoryWrite("m1", "x", BaseVersion: 2), ConflictStrategy.LatestWins, incomingHlc);

        Assert.Equal(Enum.Parse<ConflictOutcome>(expected), decision.Outcome);
        Assert.Equal(ConflictStrategy.LatestWins, decision.Strategy);
        Assert.Contains("concurrent", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_UnitesMetadata_TakesMaxImportance_AndContentFromTheNewerSide()
    {
        var decision = Decide(new MemoryWrite("m1", "x", BaseVersion: 1), ConflictStrategy.Merge, incomingHlc: 200);

        Assert.Equal(ConflictOutcome.Apply, decision.Outcome);
        var merged = decision.Content!;
        Assert.Equal("""{"a":1,"b":2,"shared":"incoming"}""", merged.CanonicalMetadata);
        Assert.Equal(0.9, merged.Importance);
        Assert.Equal("incoming content", merged.Content);
        Assert.Equal(MemoryTypes.Episodic, merged.MemoryType);
        Assert.Equal(IncomingVector, merged.Embedding);
    }

    [Fact]
    public void Merge_WhenTheCurrentSideIsNewer_KeepsItsContentAndItsValueOnClashingKeys()
    {
        var merged = Decide(new MemoryWrite("m1", "x", BaseVersion: 1), ConflictStrategy.Merge, incomingHlc: 10).Content!;

        Assert.Equal("current content", merged.Content);
        Assert.Equal("""{"a":1,"b":2,"shared":"current"}""", merged.CanonicalMetadata);
        Assert.Equal(0.9, merged.Importance);
        Assert.Equal(CurrentVector, merged.Embedding);
    }

    [Fact]
    public void Merge_IsDeterministic()
    {
        var write = new MemoryWrite("m1", "x", BaseVersion: 1);

        Assert.Equal(Decide(write, ConflictStrategy.Merge, 200).Content!.CanonicalMetadata, Decide(write, ConflictStrategy.Merge, 200).Content!.CanonicalMetadata);
    }

    [Fact]
    public void VersionVector_ABaseThatDominates_Supersedes()
    {
        var write = new MemoryWrite("m1", "x", BaseVersionVector: new Dictionary<string, long> { ["w1"] = 2, ["w2"] = 1 });

        var decision = Decide(write, ConflictStrategy.VersionVector, incomingHlc: 1);

        Assert.Equal(ConflictOutcome.Apply, decision.Outcome);
        Assert.False(decision.IsConflict);
    }

    [Fact]
    public void VersionVector_AStaleWrite_IsRefused()
    {
        // Writer w1's second event is already in the current vector: this is a replay of something superseded.
        var write = new MemoryWrite("m1", "x", BaseVersionVector: new Dictionary<string, long> { ["w1"] = 1 });

        var decision = ConflictResolver.Decide(Current(3, new() { ["w1"] = 2, ["w2"] = 1 }), 100, CurrentVector, write, Incoming(500), "w1",
            ConflictStrategy.VersionVector, ConflictStrategy.LatestWins);

        Assert.Equal(ConflictOutcome.KeepCurrent, decision.Outcome);
        Assert.Equal(ConflictStrategy.VersionVector, decision.Strategy);
        Assert.Contains("stale", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConflictStrategy.LatestWins, "Apply")]
    [InlineData(ConflictStrategy.Manual, "Flag")]
    public void VersionVector_ATrulyConcurrentWrite_UsesTheFallback(ConflictStrategy fallback, string expected)
    {
        var write = new MemoryWrite("m1", "x", BaseVersionVector: new Dictionary<string, long> { ["w1"] = 2 });

        var decision = Decide(write, ConflictStrategy.VersionVector, incomingHlc: 500, fallback: fallback);

        Assert.Equal(Enum.Parse<ConflictOutcome>(expected), decision.Outcome);
        Assert.Equal(ConflictStrategy.VersionVector, decision.Strategy);
    }

    [Fact]
    public void Manual_OnAConcurrentWrite_Flags()
    {
        var decision = Decide(new MemoryWrite("m1", "x", BaseVersion: 2), ConflictStrategy.Manual, incomingHlc: 500);

        Assert.Equal(ConflictOutcome.Flag, decision.Outcome);
        Assert.Equal(ConflictStrategy.Manual, decision.Strategy);
    }
}
