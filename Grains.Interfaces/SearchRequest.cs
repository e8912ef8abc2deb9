namespace MemorySync;

/// <summary>A semantic search: by text (embedded with the deployment's model) or by a vector, not both.</summary>
/// <param name="Text">Text to search for by meaning.</param>
/// <param name="Embedding">A query vector of the deployment's dimension.</param>
/// <param name="K">How many results, 1-1000.</param>
/// <param name="AgentId">Only this agent's memories, when set.</param>
/// <param name="MemoryTypes">Only these memory types, when set.</param>
/// <param name="AgentIds">Only these agents' memories, when set (an API key's boundary); with <paramref name="AgentId"/>, both hold.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.SearchRequest")]
public sealed record SearchRequest(
    [property: Id(0)] string? Text = null,
    [property: Id(1)] float[]? Embedding = null,
    [property: Id(2)] int K = 10,
    [property: Id(3)] string? AgentId = null,
    [property: Id(4)] IReadOnlyList<string>? MemoryTypes = null,
    [property: Id(5)] IReadOnlyList<string>? AgentIds = null);
