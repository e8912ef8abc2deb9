namespace MemorySync;

/// <summary>
/// A hybrid logical clock: wall-clock milliseconds in the high 48 bits, a counter in the low 16. Never goes
/// backwards in this process even when the wall clock does, and orders events within the same millisecond. The
/// shared clock reads <see cref="ReferenceTime.Shared"/>: a silo's is anchored to PostgreSQL's clock, a client's is its own.
/// </summary>
public sealed class HybridLogicalClock(TimeProvider time)
{
    private long _last;

    public static HybridLogicalClock Shared { get; } = new(ReferenceTime.Shared);

    public long Next()
    {
        var physical = time.GetUtcNow().ToUnixTimeMilliseconds() << 16;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(physical, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Moves this clock past a timestamp seen elsewhere, so later local events order after it.</summary>
    public void Observe(long remote)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            if (remote <= last || Interlocked.CompareExchange(ref _last, remote, last) == last)
            {
                return;
            }
        }
    }
}
