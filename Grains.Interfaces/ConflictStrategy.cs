namespace MemorySync;

/// <summary>What happens when a write was based on an older version than the memory now has.</summary>
public enum ConflictStrategy
{
    /// <summary>The write with the later hybrid-logical-clock timestamp wins; the other is recorded as the loser.</summary>
    LatestWins = 0,

    /// <summary>Field-level merge: metadata keys united (the newer side wins a clash), importance the maximum, content, type and embedding from the newer side.</summary>
    Merge = 1,

    /// <summary>A write whose base vector dominates the current one wins; a dominated one is refused; truly concurrent ones use the configured fallback.</summary>
    VersionVector = 2,

    /// <summary>The memory is flagged as conflicted, both sides are kept, and an operator resolves it.</summary>
    Manual = 3,
}
