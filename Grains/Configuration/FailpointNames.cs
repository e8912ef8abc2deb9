namespace MemorySync.Configuration;

/// <summary>
/// The named points of a write's pipeline where the fault suite kills the silo (<see cref="FailpointOptions"/>): each is
/// a moment where some stores hold a version and others, or the bookkeeping, do not yet. Whatever the point, nothing
/// acknowledged may be lost and the stores must converge once the silo is back.
/// </summary>
public static class FailpointNames
{
    /// <summary>PostgreSQL committed an eventual write; neither Redis nor FAISS has it.</summary>
    public const string AfterCommit = "after-commit";

    /// <summary>Redis took the version; FAISS has not.</summary>
    public const string AfterRedis = "after-redis";

    /// <summary>Both secondary stores took the version; the bookkeeping that says so is not written.</summary>
    public const string BeforeCompletion = "before-completion";

    /// <summary>A strict write: FAISS and Redis took it, PostgreSQL's transaction is still open.</summary>
    public const string StrictBeforeCommit = "strict-before-commit";

    /// <summary>A strict write: PostgreSQL committed it; its bookkeeping is not written.</summary>
    public const string StrictAfterCommit = "strict-after-commit";

    public static readonly IReadOnlyList<string> All = [AfterCommit, AfterRedis, BeforeCompletion, StrictBeforeCommit, StrictAfterCommit];
}
