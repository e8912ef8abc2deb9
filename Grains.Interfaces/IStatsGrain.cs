namespace MemorySync;

/// <summary>Cluster-wide sync statistics (a stateless worker).</summary>
public interface IStatsGrain : IGrainWithIntegerKey
{
    Task<SyncStatistics> GetAsync();

    /// <summary>How many consistency partitions and index shards the silos are configured with.</summary>
    Task<ClusterLayout> GetLayoutAsync();

    /// <summary>The active silos and what each hosts (memories, index shards, consistency partitions).</summary>
    Task<IReadOnlyList<SiloInfo>> GetSilosAsync();

    /// <summary>
    /// Each active silo's process memory by address; with <paramref name="collectGarbageFirst"/>, after a full garbage
    /// collection, so that what is left is what the silo holds, not what it has yet to free.
    /// </summary>
    Task<IReadOnlyDictionary<string, ProcessMemory>> GetSiloMemoryAsync(bool collectGarbageFirst);

    /// <summary>Every consistency partition's sweep (running or idle, and the last finished one).</summary>
    Task<IReadOnlyList<SweepStatus>> GetSweepsAsync();
}
