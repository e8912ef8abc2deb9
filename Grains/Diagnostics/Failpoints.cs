using System.Diagnostics;
using MemorySync.Configuration;
using Microsoft.Extensions.Options;

namespace MemorySync.Diagnostics;

/// <summary>
/// Kills the silo where the fault suite asked (<see cref="FailpointOptions"/>), at one of the <see cref="FailpointNames"/>.
/// </summary>
internal sealed class Failpoints(IOptions<FailpointOptions> options)
{
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
