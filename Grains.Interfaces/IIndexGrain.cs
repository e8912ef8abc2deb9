namespace MemorySync;

/// <summary>
/// One shard of the vector index (key: shard number). Batches adds and removes into FAISS and serves searches.
/// </summary>
public interface IIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Indexes the vector, replacing any older vector of the label; completes once FAISS holds it.</summary>
    Task UpsertAsync(IndexEntry entry);

    /// <summary>Removes the label's vector (a memory's delete at <paramref name="version"/>); completes once FAISS dropped it.</summary>
    Task RemoveAsync(long label, long version);

    /// <summary>
    /// Undoes a failed strict write: if the label is at <paramref name="failedVersion"/>, puts back
    /// <paramref name="previous"/> (or removes the label when there was none).
    /// </summary>
    Task RestoreAsync(long label, long failedVersion, IndexEntry? previous);

    /// <summary>The <paramref name="k"/> closest vectors of this shard, optionally only one agent's and some types.</summary>
    Task<IReadOnlyList<IndexMatch>> SearchAsync(float[] query, int k, string? agentId, IReadOnlyList<string>? memoryTypes);

    /// <summary>Reads the FAISS index itself for one label.</summary>
    Task<IndexEntryProbe> ProbeAsync(long label);

    /// <summary>How many vectors the shard's FAISS index holds.</summary>
    Task<long> CountAsync();
}
