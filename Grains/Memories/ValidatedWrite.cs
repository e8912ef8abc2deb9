namespace MemorySync.Memories;

/// <summary>A write that passed validation: metadata in canonical JSON, agent defaulted, vector checked.</summary>
internal sealed record ValidatedWrite(
    string MemoryId,
    string AgentId,
    string Content,
    string MemoryType,
    double Importance,
    string CanonicalMetadata,
    float[]? Embedding,
    string? EmbeddingModel,
    string WriterId);
