namespace MemorySync.Memories;

/// <summary>
/// Keeps writers' clocks from ruling the silo's: a write's stamp may be at most <c>Memory:MaxClockSkew</c> ahead of the
/// silo's physical time, its <see cref="ReferenceTime"/> (PostgreSQL's clock, so that a silo whose own clock runs
/// behind does not refuse honest writers), not of its hybrid clock (which earlier stamps may have moved ahead: measured
/// against that, each write could step the limit further, 60 s at a time); and the silo's clock never observes past
/// that limit either.
/// </summary>
internal sealed class ClockFence(HybridLogicalClock clock, TimeProvider time, TimeSpan maxSkew)
{
    public static ClockFence Shared(TimeSpan maxSkew) => new(HybridLogicalClock.Shared, ReferenceTime.Shared, maxSkew);

    /// <summary>Refuses a stamp beyond the fence; otherwise moves the silo's clock past it, so later local events order after it.</summary>
    /// <exception cref="MemoryValidationException">The stamp is more than the allowed skew ahead; nothing changed.</exception>
    public void Admit(long stamp)
    {
        var physical = PhysicalNow();
        if (stamp > physical + Units(maxSkew))
        {
            var aheadMs = (stamp >> 16) - (physical >> 16);
            throw new MemoryValidationException("timestamp",
                $"is {aheadMs} ms ahead of the silo's clock; at most {maxSkew.TotalMilliseconds:0} ms (Memory:MaxClockSkew) is allowed: check the writer's clock");
        }

        clock.Observe(stamp);
    }

    /// <summary>Moves the silo's clock past a stamp read from storage, but never past the fence (history cannot be refused).</summary>
    public void ObserveStored(long stamp) => clock.Observe(Math.Min(stamp, PhysicalNow() + Units(maxSkew)));

    private long PhysicalNow() => time.GetUtcNow().ToUnixTimeMilliseconds() << 16;

    private static long Units(TimeSpan span) => (long)span.TotalMilliseconds << 16;
}
