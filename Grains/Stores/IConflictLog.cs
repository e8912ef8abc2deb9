namespace MemorySync.Stores;

/// <summary>
/// The record of conflicts between writes (PostgreSQL's conflict_resolutions): how each was handled, and the ones a Manual
/// strategy left open for an operator. Every method fails with <see cref="StoreUnavailableException"/> only.
/// </summary>
internal interface IConflictLog
{
    /// <summary>Records how a conflict was handled; an open (Manual) one also flags the memory as conflicted.</summary>
    Task RecordConflictAsync(ConflictEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Conflicts waiting for an operator: one memory's, or all (null).</summary>
    Task<IReadOnlyList<ConflictInfo>> OpenConflictsAsync(string? memoryId, CancellationToken cancellationToken = default);

    /// <summary>Marks a memory's open conflicts resolved, with what was decided.</summary>
    Task ResolveConflictsAsync(string memoryId, string resolvedJson, string reason, CancellationToken cancellationToken = default);
}

/// <summary>A conflict_resolutions row: the strategy, both sides' versions and data, and the reason.</summary>
internal sealed record ConflictEntry(
    string MemoryId,
    string Strategy,
    string Status,
    long? CurrentVersion,
    long? IncomingVersion,
    string? CurrentJson,
    string? IncomingJson,
    string? ResolvedJson,
    string Reason);
