namespace MemorySync;

/// <summary>
/// One memory (key: memory id). Owns its version and serializes every change to PostgreSQL, Redis and FAISS.
/// </summary>
public interface IMemoryGrain : IGrainWithStringKey
{
    /// <summary>Validates, then stores a new version in all three stores and returns it.</summary>
    /// <exception cref="MemoryValidationException">The write is invalid; nothing was stored.</exception>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<MemoryRecord> UpsertAsync(MemoryWrite write);

    /// <summary>The current version, or null when the memory never existed or is deleted.</summary>
    [ResponseTimeout(CallTimeouts.MemoryRead)]
    Task<MemoryRecord?> GetAsync();

    /// <summary>Stores a tombstone version and removes the memory from Redis and FAISS; null if there was nothing to delete.</summary>
    /// <param name="callerAgents">The agents the caller is bound to (null: a trusted caller); another agent's memory is refused.</param>
    /// <exception cref="ForeignMemoryException">The memory belongs to an agent outside <paramref name="callerAgents"/>; nothing changed.</exception>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<MemoryRecord?> DeleteAsync(IReadOnlyList<string>? callerAgents = null);

    /// <summary>The agent the memory's latest version belongs to (a tombstone's too), or null when it never existed.</summary>
    [ResponseTimeout(CallTimeouts.MemoryRead)]
    Task<string?> GetOwnerAsync();

    /// <summary>Every version PostgreSQL kept, oldest first, tombstones included.</summary>
    [ResponseTimeout(CallTimeouts.MemoryRead)]
    Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync();

    /// <summary>
    /// Brings Redis and FAISS up to the current version (the outbox drainer's call) and says which stores now hold it.
    /// Always applies the current version, never an older one.
    /// </summary>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<ReplicationResult> ReplicateAsync();

    /// <summary>
    /// A consistency repair: makes the listed stores ("redis", "faiss") hold exactly what PostgreSQL holds for the memory
    /// (its current version, or nothing when it is deleted or unknown), records the repair, and says whether it worked.
    /// </summary>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<bool> RepairAsync(IReadOnlyList<string> stores);

    /// <summary>
    /// A reindex's re-embedding: if the memory is still live at <paramref name="version"/>, PostgreSQL takes this vector
    /// and model for it (content and version unchanged). False when the memory changed meanwhile.
    /// </summary>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<bool> AdoptEmbeddingAsync(long version, float[] embedding, string embeddingModel);

    /// <summary>Settles this memory's open Manual conflicts with a new version that all three stores take.</summary>
    /// <exception cref="MemoryValidationException">There is no open conflict, or the new content is invalid.</exception>
    [ResponseTimeout(CallTimeouts.MemoryWrite)]
    Task<MemoryRecord> ResolveAsync(ConflictChoice choice, string? content = null);
}
