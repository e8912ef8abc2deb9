namespace MemorySync;

/// <summary>What a caller asks to store under one memory id.</summary>
/// <param name="MemoryId">1-128 characters from <c>A-Z a-z 0-9 . _ : -</c>.</param>
/// <param name="Content">The memory's text: non-empty, at most <c>Memory:MaxContentBytes</c> UTF-8 bytes.</param>
/// <param name="MemoryType">One of <see cref="MemoryTypes.All"/>.</param>
/// <param name="Importance">In [0, 1].</param>
/// <param name="MetadataJson">A JSON object (or null for <c>{}</c>).</param>
/// <param name="Embedding">Exactly the deployment's dimension of finite floats, or null to let the silo embed the content.</param>
/// <param name="AgentId">The agent's namespace: 1-64 characters like the id; "default" when not given.</param>
/// <param name="WriterId">Who writes (an agent host process); the client facade fills it in.</param>
/// <param name="EmbeddingModel">The model that made <paramref name="Embedding"/>, when the silo embedded it ahead (batch sync).</param>
/// <param name="BaseVersion">The version this write was based on (null: a blind write, applied on top of whatever is current).</param>
/// <param name="BaseVersionVector">The version vector this write was based on; more precise than <paramref name="BaseVersion"/>.</param>
/// <param name="Timestamp">The writer's hybrid-logical-clock time of the change (the client facade stamps it).</param>
/// <param name="Strategy">Overrides the deployment's conflict strategy for this write.</param>
/// <param name="Mode">Eventual (default) or strict (all-or-nothing across the three stores).</param>
/// <param name="CallerAgents">
/// The agents the caller is bound to (an API key's), or null for a trusted caller. When set, a memory that belongs to
/// another agent is refused with <see cref="ForeignMemoryException"/>, and so is an <paramref name="AgentId"/> outside the set.
/// </param>
/// <param name="ExpectedVersion">
/// A precondition (HTTP's If-Match): the write is refused with <see cref="MemoryConflictException"/>, nothing stored,
/// unless the memory's current version is this one (0: the memory must not exist or be deleted).
/// </param>
[GenerateSerializer, Immutable, Alias("MemorySync.MemoryWrite")]
public sealed record MemoryWrite(
    [property: Id(0)] string MemoryId,
    [property: Id(1)] string Content,
    [property: Id(2)] string MemoryType = MemoryTypes.Episodic,
    [property: Id(3)] double Importance = 0.5,
    [property: Id(4)] string? MetadataJson = null,
    [property: Id(5)] float[]? Embedding = null,
    [property: Id(6)] string AgentId = MemoryWrite.DefaultAgent,
    [property: Id(7)] string? WriterId = null,
    [property: Id(8)] string? EmbeddingModel = null,
    [property: Id(9)] long? BaseVersion = null,
    [property: Id(10)] IReadOnlyDictionary<string, long>? BaseVersionVector = null,
    [property: Id(11)] long? Timestamp = null,
    [property: Id(12)] ConflictStrategy? Strategy = null,
    [property: Id(13)] SyncMode Mode = SyncMode.Eventual,
    [property: Id(14)] IReadOnlyList<string>? CallerAgents = null,
    [property: Id(15)] long? ExpectedVersion = null)
{
    public const string DefaultAgent = "default";
}
