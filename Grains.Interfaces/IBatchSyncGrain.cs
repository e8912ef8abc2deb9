namespace MemorySync;

/// <summary>The seed's sync_batch: many memories in one call, each through its own MemoryGrain (a stateless worker).</summary>
public interface IBatchSyncGrain : IGrainWithIntegerKey
{
    /// <summary>Stores every valid memory and reports, per memory, why any other was refused.</summary>
    [ResponseTimeout(CallTimeouts.Batch)]
    Task<BatchSyncResult> SyncBatchAsync(IReadOnlyList<MemoryWrite> memories);
}
