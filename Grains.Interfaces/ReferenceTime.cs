using System.Diagnostics;

namespace MemorySync;

/// <summary>
/// The wall-clock time that stamps are made from. Until it is anchored it is this machine's clock (a client's case).
/// A silo anchors it to PostgreSQL's clock, the one clock every silo shares, and from then on advances it by the
/// monotonic clock alone: a step of this machine's wall clock (time sync failing, or correcting itself by minutes) never
/// reaches a write's stamp, the clock fence or a version's date. Anchored again every few seconds, it follows
/// PostgreSQL's clock rather than drifting with this machine's oscillator.
/// </summary>
public sealed class ReferenceTime : TimeProvider
{
    private AnchorPoint? _anchor;

    public static ReferenceTime Shared { get; } = new();

    /// <summary>Whether the time follows an anchor rather than this machine's wall clock.</summary>
    public bool IsAnchored => Volatile.Read(ref _anchor) is not null;

    /// <summary>From now on the time is <paramref name="utc"/> at the monotonic <paramref name="timestamp"/> (<see cref="Stopwatch.GetTimestamp"/>), plus what the monotonic clock counts since.</summary>
    public void AnchorTo(DateTimeOffset utc, long timestamp) => Volatile.Write(ref _anchor, new AnchorPoint(utc, timestamp));

    public override DateTimeOffset GetUtcNow() => Volatile.Read(ref _anchor) is { } anchor
        ? anchor.Utc + Stopwatch.GetElapsedTime(anchor.Timestamp)
        : System.GetUtcNow();

    private sealed record AnchorPoint(DateTimeOffset Utc, long Timestamp);
}
