namespace MemorySync;

/// <summary>Cluster-wide sync statistics (a stateless worker).</summary>
public interface IStatsGrain : IGrainWithIntegerKey
{
    Task<SyncStatistics> GetAsync();

    /// <summary>How many consistency partitions and index shards the silos are configured with.</summary>
    Task<ClusterLayout> GetLayoutAsync();

    /// <summary>The active silos and what each hosts (memories, index shards, consistency partitions).</summary>
    Task<IReadOnlyList<SiloInfo>> GetSilosAsync();

    /// <summary>Every consistency partition's sweep (running or idle, and the last finished one).</summary>
    Task<IReadOnlyList<SweepStatus>> GetSweepsAsync();
}
