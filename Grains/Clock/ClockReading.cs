namespace MemorySync.Clock;

/// <summary>
/// PostgreSQL's time read once: what PostgreSQL's clock said, the monotonic <paramref name="Timestamp"/> and this
/// machine's wall clock at the middle of the round trip, and the round trip itself (the reading is good to half of it).
/// </summary>
internal readonly record struct ClockReading(DateTimeOffset PostgresUtc, long Timestamp, DateTimeOffset LocalUtc, TimeSpan RoundTrip)
{
    /// <summary>How far this machine's wall clock is ahead of PostgreSQL's (negative: behind).</summary>
    public TimeSpan LocalOffset => LocalUtc - PostgresUtc;
}
