namespace MemorySync.Outbox;

/// <summary>
/// Tells a store's recovery from the drainer's passes: the store is judged down after a pass in which its rows of at
/// least <see cref="DownAfterMemories"/> different memories failed and none succeeded, and recovered at its first
/// success after that. One memory that keeps failing (a poison row) is not an outage, so it never counts as a recovery
/// of the others. Covers what the health probes cannot see, such as FAISS shards whose silo was gone.
/// </summary>
internal sealed class DrainOutageJudge
{
    public const int DownAfterMemories = 2;

    private readonly HashSet<string> _down = new(StringComparer.Ordinal);

    /// <summary>Records one pass's outcome for a store; true when it shows the store recovered.</summary>
    public bool Recovered(string store, int failedMemories, int succeededRows)
    {
        if (succeededRows > 0)
        {
            return _down.Remove(store);
        }

        if (failedMemories >= DownAfterMemories)
        {
            _down.Add(store);
        }

        return false;
    }
}
