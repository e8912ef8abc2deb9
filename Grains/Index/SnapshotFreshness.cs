namespace MemorySync.Index;

/// <summary>
/// Whether a snapshot can still be replayed: a restore replays the FAISS outbox rows completed after the snapshot, and
/// the outbox drainer deletes completed rows older than Outbox:RetainCompleted. A snapshot older than that would be
/// restored with changes missing, so the shard rebuilds from PostgreSQL instead; a live shard saves again well before.
/// </summary>
internal static class SnapshotFreshness
{
    // The replay reads the outbox a little after the age is judged (the index is deserialized in between) and the
    // purge runs every minute: a snapshot this close to the retention is treated as too old already.
    private static readonly TimeSpan MaxHeadroom = TimeSpan.FromMinutes(5);

    /// <summary>True when every outbox row a restore of a snapshot of this age replays is still there.</summary>
    public static bool IsReplayable(TimeSpan age, TimeSpan retainCompleted) =>
        retainCompleted <= TimeSpan.Zero || age < retainCompleted - Headroom(retainCompleted);

    /// <summary>True when a shard should save again, changed or not, so that its snapshot stays replayable.</summary>
    public static bool IsRefreshDue(TimeSpan age, TimeSpan retainCompleted) =>
        retainCompleted > TimeSpan.Zero && age >= retainCompleted / 2;

    private static TimeSpan Headroom(TimeSpan retainCompleted) =>
        retainCompleted / 4 < MaxHeadroom ? retainCompleted / 4 : MaxHeadroom;
}
