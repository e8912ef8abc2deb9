using System.Diagnostics;
using MemorySync.Configuration;
using Microsoft.Extensions.Options;

namespace MemorySync.Diagnostics;

/// <summary>
/// The named points of a write's pipeline where the fault suite kills the silo (<see cref="FailpointOptions"/>): each is
/// a moment where some stores hold a version and others, or the bookkeeping, do not yet. Whatever the point, nothing
/// acknowledged may be lost and the stores must converge once the silo is back.
/// </summary>
internal sealed class Failpoints(IOptions<FailpointOptions> options)
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

    public static readonly IReadOnlyList<string> Names = [AfterCommit, AfterRedis, BeforeCompletion, StrictBeforeCommit, StrictAfterCommit];

    private readonly string? _armed = options.Value.Point;
    private readonly int _atHit = options.Value.AtHit;
    private int _hits;

    /// <summary>Kills this process here when the point is the armed one and this is its chosen arrival; otherwise nothing.</summary>
    public void Reach(string point)
    {
        if (_armed is null || !string.Equals(point, _armed, StringComparison.Ordinal) || Interlocked.Increment(ref _hits) != _atHit)
        {
            return;
        }

        // Said on stderr first, synchronously, so the test can tell the failpoint from any other death.
        Console.Error.WriteLine($"failpoint {point} reached (hit {_atHit}): killing the silo process");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
