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
}
