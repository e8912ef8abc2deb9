namespace MemorySync.Memories;

internal enum ConflictOutcome
{
    /// <summary>Store <see cref="ConflictDecision.Content"/> as the next version.</summary>
    Apply,

    /// <summary>Keep the current version; the incoming write lost.</summary>
    KeepCurrent,

    /// <summary>Keep the current version, flag the memory, and keep both sides for an operator.</summary>
    Flag,
}

/// <summary>What to do with a write, and, when it conflicted, which strategy decided and why.</summary>
internal sealed record ConflictDecision(ConflictOutcome Outcome, MemoryContent? Content, ConflictStrategy? Strategy, string? Reason)
{
    public bool IsConflict => Strategy is not null;
}
