using MemorySync.Configuration;

namespace MemorySync.Outbox;

/// <summary>Exponential backoff with jitter: base × 2^(attempts−1), capped, then spread by ± jitter.</summary>
internal static class RetrySchedule
{
    public static TimeSpan DelayAfter(int failedAttempts, OutboxOptions options, double unitRandom)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var raw = Math.Min(options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxDelay.TotalMilliseconds);
        var spread = 1 + (options.Jitter * ((unitRandom * 2) - 1));
        return TimeSpan.FromMilliseconds(raw * spread);
    }
}
