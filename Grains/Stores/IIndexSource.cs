namespace MemorySync.Stores;

/// <summary>
/// PostgreSQL read across memories for the vector index: the entries a shard is built from, the rows a reindex embeds
/// again, and the content behind a search's matches.
/// </summary>
internal interface IIndexSource
{
    /// <summary>Every live memory with a vector of the given dimension, for rebuilding an index shard.</summary>
    IAsyncEnumerable<IndexEntry> ReadIndexEntriesAsync(int dimension, CancellationToken cancellationToken = default);

    /// <summary>Every live memory with its content and whatever vector it has, for a reindex (which may embed it again).</summary>
    IAsyncEnumerable<ReindexRow> ReadReindexRowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Content of live memories by id (the fallback when Redis misses).</summary>
    Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default);
}

/// <summary>A live memory as a reindex reads it.</summary>
internal sealed record ReindexRow(string MemoryId, long Label, string AgentId, string MemoryType, long Version, string Content,
    float[]? Embedding, string? EmbeddingModel);
