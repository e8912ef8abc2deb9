namespace MemorySync;

/// <summary>Cluster-wide sync statistics (a stateless worker).</summary>
public interface IStatsGrain : IGrainWithIntegerKey
{
    Task<SyncStatistics> GetAsync();

    /// <summary>How many consistency partitions and index shards the silos are configured with.</summary>
    Task<ClusterLayout> GetLayoutAsync();
}
