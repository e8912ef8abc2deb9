using MemorySync.Faiss;
using MemorySync.Index;
using MemorySync.Model;

namespace MemorySync.UnitTests.Index;

/// <summary>The shard's index logic on a real FAISS index, without a silo.</summary>
public sealed class ShardIndexTests : IDisposable
{
    private const int Dimension = 8;
    private readonly ShardIndex _shard = new(FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension));

    public void Dispose() => _shard.Dispose();

    [Fact]
    public void Apply_KeepsTheLastChangePerLabel_InOneBatch()
    {
        var applied = _shard.Apply([Upsert(1, "m1", version: 1, axis: 0), Upsert(1, "m1", version: 3, axis: 2), Upsert(1, "m1", version: 2, axis: 1)]);

        Assert.Equal(3, Assert.Single(applied).Version);
        Assert.Equal(1, _shard.VectorCount);
        Assert.Equal(3, _shard.KnownVersion(1));
        Assert.Equal("m1", Assert.Single(_shard.Search(Unit(2), 1, null, null, 100)).MemoryId);
    }

    [Fact]
    public void Apply_SkipsAReplayOlderThanWhatTheShardHolds()
    {
        _shard.Apply([Upsert(1, "m1", version: 5, axis: 0)]);

        var applied = _shard.Apply([Upsert(1, "m1", version: 4, axis: 1)]);

        Assert.Empty(applied);
        Assert.Equal(5, _shard.Probe(1).Version);
        Assert.Equal(Unit(0), _shard.Probe(1).Vector);
    }

    // A removal is remembered with its version: a late replay of an older upsert cannot bring the memory back.
    [Fact]
    public void ARemovedLabel_IsNotBroughtBackByAnOlderUpsert()
    {
        _shard.Apply([Upsert(1, "m1", version: 1, axis: 0)]);
        _shard.Apply([Remove(1, version: 2)]);

        _shard.Apply([Upsert(1, "m1", version: 1, axis: 0)]);

        Assert.Equal(0, _shard.VectorCount);
        Assert.Equal(2, _shard.KnownVersion(1));
        Assert.Empty(_shard.Search(Unit(0), 5, null, null, 100));
        _shard.Apply([Upsert(1, "m1", version: 3, axis: 0)]);
        Assert.Equal(1, _shard.VectorCount);
    }

    [Fact]
    public void RollBack_PutsThePreviousEntryBack_OnlyWhileTheFailedVersionIsHeld()
    {
        var previous = Entry(1, "m1", version: 1, axis: 0);
        _shard.Add([previous]);
        _shard.Apply([Upsert(1, "m1", version: 2, axis: 1)]);

        Assert.False(_shard.RollBack(1, failedVersion: 7, previous));
        Assert.Equal(2, _shard.KnownVersion(1));

        Assert.True(_shard.RollBack(1, failedVersion: 2, previous));
        Assert.Equal(1, _shard.KnownVersion(1));
        Assert.Equal(Unit(0), _shard.Probe(1).Vector);
    }

    [Fact]
    public void RollBack_OfAFirstVersion_LeavesTheLabelUnknown()
    {
        _shard.Apply([Upsert(1, "m1", version: 1, axis: 0)]);

        Assert.True(_shard.RollBack(1, failedVersion: 1, previous: null));

        Assert.Equal(0, _shard.KnownVersion(1));
        Assert.Equal(0, _shard.VectorCount);
    }

    // A memory indexed under a stale label (it was written with another id) has every one of its vectors replaced.
    [Fact]
    public void ReplaceMemory_DropsEveryLabelOfTheMemory_AndAddsTheEntry()
    {
        _shard.Add([Entry(1, "m1", version: 1, axis: 0), Entry(9, "m1", version: 1, axis: 1), Entry(2, "m2", version: 1, axis: 2)]);

        _shard.ReplaceMemory("m1", 1, Entry(1, "m1", version: 4, axis: 3));

        Assert.Equal(2, _shard.VectorCount);
        Assert.Equal([1L], _shard.LabelsOf(new HashSet<string> { "m1" })["m1"]);
        Assert.Equal(4, _shard.KnownVersion(1));
        Assert.Null(_shard.Probe(9).Vector);
    }

    [Fact]
    public void Search_WithFilters_WidensUntilKMatchesPass()
    {
        // 200 memories of agent a closest to the query, then 3 of agent b further away.
        _shard.Add([.. Enumerable.Range(1, 200).Select(i => Entry(i, $"a{i}", 1, axis: 0, agentId: "a"))]);
        _shard.Add([.. Enumerable.Range(201, 3).Select(i => Entry(i, $"b{i}", 1, axis: 1, agentId: "b"))]);

        var hits = _shard.Search(Unit(0), 3, agentIds: ["b"], memoryTypes: null, maxFilteredCandidates: 1000);

        Assert.Equal(["b201", "b202", "b203"], hits.Select(hit => hit.MemoryId).Order());
    }

    // The widening stops at its bound: a rare filter does not make a search read the whole shard.
    [Fact]
    public void Search_WithFilters_StopsWideningAtItsBound()
    {
        _shard.Add([.. Enumerable.Range(1, 200).Select(i => Entry(i, $"a{i}", 1, axis: 0, agentId: "a"))]);
        _shard.Add([Entry(201, "b201", 1, axis: 1, agentId: "b")]);

        Assert.Empty(_shard.Search(Unit(0), 1, agentIds: ["b"], memoryTypes: null, maxFilteredCandidates: 100));
        Assert.Single(_shard.Search(Unit(0), 1, agentIds: ["b"], memoryTypes: null, maxFilteredCandidates: 201));
    }

    [Fact]
    public void Digest_IsTheXorOfTheRangesFingerprints()
    {
        var entries = Enumerable.Range(1, 50).Select(i => Entry(i, $"memory-{i}", version: i, axis: i % Dimension)).ToList();
        _shard.Add(entries);

        var digests = _shard.Digest(0, SweepHash.RangeCount);

        Assert.Equal(50, digests.Sum(digest => digest.Count));
        foreach (var digest in digests)
        {
            var expected = entries.Where(entry => SweepHash.RangeOf(entry.MemoryId) == digest.Range)
                .Aggregate(0, (xor, entry) => xor ^ SweepHash.FaissToken(entry.MemoryId, entry.Version, entry.Label));
            Assert.Equal(expected, digest.Digest);
        }

        var listed = _shard.List([digests[0].Range]);
        Assert.Equal(digests[0].Count, listed.Count);
    }

    [Fact]
    public void Restore_RefusesALabelMapThatDoesNotDescribeTheIndex()
    {
        var faiss = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        faiss.Add(Unit(0), [1]);

        Assert.Throws<InvalidDataException>(() => ShardIndex.Restore(faiss, []));
        var restored = ShardIndex.Restore(faiss, [(1, 3, "m1", "a", "episodic")]);
        Assert.Equal(3, restored.KnownVersion(1));
        restored.Dispose();
    }

    // A rebuilt index replacing the serving one still turns away late replays of what was removed before.
    [Fact]
    public void ARebuiltIndex_TakesOverTheRemovals()
    {
        _shard.Apply([Upsert(1, "m1", version: 1, axis: 0)]);
        _shard.Apply([Remove(1, version: 2)]);
        using var rebuilt = new ShardIndex(FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension));

        rebuilt.TakeRemovalsFrom(_shard);

        Assert.Empty(rebuilt.Apply([Upsert(1, "m1", version: 1, axis: 0)]));
        Assert.Equal(2, rebuilt.KnownVersion(1));
    }

    private static PendingIndexChange Upsert(long label, string memoryId, long version, int axis) =>
        new(label, version, Entry(label, memoryId, version, axis));

    private static PendingIndexChange Remove(long label, long version) => new(label, version, entry: null);

    private static IndexEntry Entry(long label, string memoryId, long version, int axis, string agentId = "a") =>
        new(label, memoryId, agentId, "episodic", version, Unit(axis));

    private static float[] Unit(int axis)
    {
        var vector = new float[Dimension];
        vector[axis] = 1;
        return vector;
    }
}
