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

    /// <summary>The <paramref name="k"/> closest vectors of this shard, optionally only some agents' and some types.</summary>
    Task<IReadOnlyList<IndexMatch>> SearchAsync(float[] query, int k, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes);

    /// <summary>Reads the FAISS index itself for one label.</summary>
    Task<IndexEntryProbe> ProbeAsync(long label);

    /// <summary>How many vectors the shard's FAISS index holds.</summary>
    Task<long> CountAsync();

    /// <summary>The digest of each sweep range in [<paramref name="first"/>, <paramref name="end"/>) that the shard holds vectors in.</summary>
    Task<IReadOnlyList<RangeDigest>> DigestAsync(int first, int end);

    /// <summary>Every memory the shard indexed in the given sweep ranges.</summary>
    Task<IReadOnlyList<IndexedMemory>> ListAsync(IReadOnlyList<int> ranges);

    /// <summary>
    /// A repair: drops every vector the shard holds for the memory (and the label), then indexes
    /// <paramref name="entry"/> when given, whatever versions the shard had seen.
    /// </summary>
    Task RepairAsync(string memoryId, long label, IndexEntry? entry);

    /// <summary>The shard's size, how its activation loaded it, and its reindex (if any).</summary>
    Task<IndexShardInfo> GetInfoAsync();

    /// <summary>
    /// Writes a snapshot of the shard (index, label map, outbox position) to PostgreSQL now, holding every change the shard
    /// had when asked; one already running is waited for first.
    /// </summary>
    [ResponseTimeout("00:05:00")]
    Task SnapshotAsync();

    /// <summary>
    /// Starts rebuilding the shard from PostgreSQL into a shadow index that replaces the live one when complete
    /// (searches go on meanwhile); memories embedded by another model, or all when <paramref name="reembedAll"/>, are
    /// embedded again. A reindex already running goes on; returns its progress.
    /// </summary>
    Task<ReindexProgress> StartReindexAsync(bool reembedAll);

    /// <summary>The progress of the shard's last reindex since activation, or null.</summary>
    Task<ReindexProgress?> GetReindexProgressAsync();
}
