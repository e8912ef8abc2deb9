namespace MemorySync.Configuration;

/// <summary>Limits on what a memory may hold, and how writes are batched (section <c>Memory</c>).</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    /// <summary>Longest memory id, in characters.</summary>
    public int MaxIdLength { get; set; } = 128;

    /// <summary>Longest agent id, in characters.</summary>
    public int MaxAgentIdLength { get; set; } = 64;

    /// <summary>Largest content, in UTF-8 bytes.</summary>
    public int MaxContentBytes { get; set; } = 64 * 1024;

    /// <summary>Largest metadata object, in UTF-8 bytes of its JSON.</summary>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>Number of index shards (IndexGrain keys 0..N-1); a memory's shard is a stable hash of its id.</summary>
    public int IndexShards { get; set; } = 1;

    /// <summary>An index shard applies its queued adds and removes once this many are waiting...</summary>
    public int IndexFlushBatchSize { get; set; } = 512;

    /// <summary>...or once the oldest has waited this long (0: at the next turn, batching what arrived together).</summary>
    public int IndexFlushDelayMilliseconds { get; set; }

    /// <summary>How many memories of one batch sync are written at the same time.</summary>
    public int BatchConcurrency { get; set; } = 64;

    /// <summary>Most memories in one batch sync (the import's batches and the HTTP batch included); a larger one is refused whole.</summary>
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Most bytes in one batch sync: its contents and metadata in UTF-8 plus 4 per embedding value.</summary>
    public int MaxBatchBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Longest search text, in UTF-8 bytes (embedding it costs CPU in proportion to its length).</summary>
    public int MaxSearchTextBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// How far a search with agent or type filters widens: at most this many candidates asked of one shard's FAISS
    /// index. A search whose filters pass fewer than k of them answers with the ones that passed.
    /// </summary>
    public int MaxFilteredSearchCandidates { get; set; } = 16 * 1024;

    /// <summary>
    /// How far ahead of the silo's physical clock a write's timestamp may be. A stamp further ahead is refused, and the
    /// silo's clock never moves past its physical time plus this, so one fast clock cannot win every later conflict.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}
