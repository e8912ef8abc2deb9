namespace MemorySync.Configuration;

/// <summary>How conflicting writes are resolved (section <c>Conflicts</c>); a write may override the strategy.</summary>
public sealed class ConflictOptions
{
    public const string SectionName = "Conflicts";

    public ConflictStrategy DefaultStrategy { get; set; } = ConflictStrategy.LatestWins;

    /// <summary>What VersionVector does with truly concurrent writes: LatestWins, Merge or Manual.</summary>
    public ConflictStrategy ConcurrentFallback { get; set; } = ConflictStrategy.LatestWins;
}
