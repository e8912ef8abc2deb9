namespace MemorySync;

/// <summary>Cluster-wide sync statistics (a stateless worker).</summary>
public interface IStatsGrain : IGrainWithIntegerKey
{
    Task<SyncStatistics> GetAsync();
}
