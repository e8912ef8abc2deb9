using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>The content fields of one side of a write: what a conflict strategy chooses between or merges.</summary>
internal sealed record MemoryContent(
    string AgentId,
    string Content,
    string MemoryType,
    double Importance,
    string CanonicalMetadata,
    float[]? Embedding,
    string? EmbeddingModel,
    long Hlc)
{
    /// <summary>The content of the version PostgreSQL holds.</summary>
    public static MemoryContent Of(StoredMemory stored) =>
        new(stored.Record.AgentId, stored.Record.Content, stored.Record.MemoryType, stored.Record.Importance, stored.Record.MetadataJson,
            stored.Embedding, stored.Record.EmbeddingModel, stored.Hlc);
}
