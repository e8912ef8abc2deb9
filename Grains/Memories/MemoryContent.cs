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
    long Hlc);
