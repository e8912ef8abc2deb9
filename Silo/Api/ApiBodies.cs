using System.Text.Json;

namespace MemorySync.Silo.Api;

/// <summary>The body of <c>PUT /v1/memories/{id}</c>: the fields of <c>memsync put</c>, snake_case.</summary>
/// <param name="Content">The memory's text (required).</param>
/// <param name="MemoryType">episodic (default), semantic, procedural or working.</param>
/// <param name="Importance">In [0, 1]; 0.5 when left out.</param>
/// <param name="Metadata">A JSON object.</param>
/// <param name="Embedding">Exactly the deployment's dimension of numbers; the silo embeds the content when left out.</param>
/// <param name="AgentId">The agent the memory belongs to: one of the key's (the key's only one when left out).</param>
/// <param name="BaseVersion">The version this write was based on, for the conflict strategy.</param>
/// <param name="Strategy">The conflict strategy for this write.</param>
/// <param name="Mode">eventual (default) or strict.</param>
public sealed record PutMemoryBody(
    string? Content,
    string? MemoryType = null,
    double? Importance = null,
    JsonElement? Metadata = null,
    float[]? Embedding = null,
    string? AgentId = null,
    long? BaseVersion = null,
    ConflictStrategy? Strategy = null,
    SyncMode? Mode = null);

/// <summary>One memory of a batch: a put body with its id.</summary>
public sealed record BatchMemoryBody(
    string? MemoryId,
    string? Content,
    string? MemoryType = null,
    double? Importance = null,
    JsonElement? Metadata = null,
    float[]? Embedding = null,
    string? AgentId = null);

/// <summary>The body of <c>POST /v1/memories/batch</c>.</summary>
public sealed record BatchBody(IReadOnlyList<BatchMemoryBody>? Memories);

/// <summary>The body of <c>POST /v1/search</c>: exactly one of text or embedding.</summary>
/// <param name="K">How many results, 1-1000 (10 when left out).</param>
/// <param name="AgentId">Only this agent's memories (within the key's agents).</param>
public sealed record SearchBody(
    string? Text = null,
    float[]? Embedding = null,
    int? K = null,
    IReadOnlyList<string>? MemoryTypes = null,
    string? AgentId = null);

/// <summary>The body of <c>POST /v1/memories/{id}/resolve</c>: keep a side, or give new content.</summary>
/// <param name="Keep">current or incoming.</param>
/// <param name="Content">New content that replaces both sides.</param>
public sealed record ResolveBody(string? Keep = null, string? Content = null);

/// <summary>The body of <c>POST /v1/admin/reindex</c>.</summary>
/// <param name="ReembedAll">Embed every memory again, not only those another model embedded.</param>
public sealed record ReindexBody(bool ReembedAll = false);
