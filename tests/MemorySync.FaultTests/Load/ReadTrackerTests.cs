namespace MemorySync.FaultTests.Load;

/// <summary>The reads check itself: what counts as a version going backwards for one reader.</summary>
public sealed class ReadTrackerTests
{
    [Fact]
    public void ReadOlderThanAnAcknowledgedWrite_GoesBackwards()
    {
        var reads = new ReadTracker(reader: 3);
        reads.Saw("m", 7);

        Assert.Equal("reader 3 read m at v6 after it had seen v7", reads.Read("m", 6));
    }

    [Fact]
    public void ReadOlderThanAnEarlierRead_GoesBackwards()
    {
        var reads = new ReadTracker(reader: 0);
        Assert.Null(reads.Read("m", 5));

        Assert.NotNull(reads.Read("m", 4));
    }

    [Fact]
    public void ReadsAtOrAfterWhatWasSeen_AndReadsOfOtherMemories_AreFine()
    {
        var reads = new ReadTracker(reader: 0);
        reads.Saw("m", 5);

        Assert.Null(reads.Read("m", 5));
        Assert.Null(reads.Read("m", 9));
        Assert.Null(reads.Read("other", 1));
    }

    [Fact]
    public void ReadThatFoundNoMemory_SaysNothing()
    {
        var reads = new ReadTracker(reader: 0);
        reads.Saw("m", 5);

        // Deleted by another writer meanwhile: a tombstone carries no version to compare.
        Assert.Null(reads.Read("m", version: null));
    }
}
