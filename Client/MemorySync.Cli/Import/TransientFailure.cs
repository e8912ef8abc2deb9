using System.Text.RegularExpressions;
using MemorySync.Client;

namespace MemorySync.Cli.Import;

/// <summary>
/// Which failures are worth sending the same lines again for: the silo or a store was away for a moment. A refusal
/// of the line itself (a bad field, a conflict) would fail the same way every time.
/// </summary>
internal static partial class TransientFailure
{
    // The batch grain reports each item's failure as its message only; these are the words of StoreUnavailableException,
    // of Orleans' timeouts and of a silo that left: refused, unreachable or not yet known dead while the batch ran. An
    // import line names no expected version, so a conflict on it is another activation of the memory that wrote first
    // around a silo's death (MemoryConflictException), and sending it again is right.
    private static readonly string[] Markers =
        ["unavailable", "did not take", "timed out", "timeout", "did not arrive on time", "did not answer", "retry once",
         "unable to connect", "forwarding failed", "known to be dead", "no gateways available", "non-existent activation",
         "read it again and retry"];

    public static bool Is(Exception exception) =>
        exception is TimeoutException or OrleansException or StoreUnavailableException or ClusterUnreachableException;

    // A refusal names its field first ("memory_type: 'timeout' is not one of ..."), and may quote the line's own
    // words, which must not make it look like an outage.
    public static bool Is(string error) =>
        !FieldRefusal().IsMatch(error) && Markers.Any(marker => error.Contains(marker, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[a-z_]+: ")]
    private static partial Regex FieldRefusal();
}
