namespace MemorySync.Configuration;

/// <summary>
/// A crash on purpose, for the fault suite only (section <c>Failpoints</c>): the silo kills its own process, as a power
/// cut would, the <see cref="AtHit"/>-th time a write reaches the named point of its pipeline. Unset in every deployment.
/// </summary>
public sealed class FailpointOptions
{
    public const string SectionName = "Failpoints";

    /// <summary>One of <see cref="FailpointNames.All"/>, or unset (no failpoint).</summary>
    public string? Point { get; set; }

    /// <summary>Which arrival at the point kills the process: 1 is the first.</summary>
    public int AtHit { get; set; } = 1;
}
