using MemorySync.Configuration;
using MemorySync.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.Clock;

/// <summary>
/// Anchors the silo's <see cref="ReferenceTime"/> to PostgreSQL's clock, at start-up (<see cref="AnchorAsync"/>) and
/// every few seconds after, so that every stamp, fence and version date on every silo reads one clock; and watches
/// how far this machine's own wall clock is from it (a metric, and a warning while it is beyond
/// <c>Memory:MaxClockSkew</c>: Orleans' membership reads the wall clock, so the operator must still fix time sync).
/// </summary>
internal sealed class ClockAnchor(PostgresClock postgres, IOptions<MemoryOptions> memoryOptions, MemorySyncMetrics metrics, ILogger<ClockAnchor> logger)
    : BackgroundService
{
    // Often enough that the anchor follows PostgreSQL's clock closely; one tiny query each time.
    private static readonly TimeSpan AnchorPeriod = TimeSpan.FromSeconds(5);

    // A reading is good to half its round trip: a slower one (a busy server) would move the anchor by more than the
    // drift it corrects, so it only updates the offset shown, not the anchor.
    private static readonly TimeSpan SlowestAnchoringRoundTrip = TimeSpan.FromMilliseconds(100);

    private bool _beyondSkew;

    /// <summary>Reads PostgreSQL's clock and anchors to it; the reading says how far this machine's clock is off.</summary>
    public async Task<ClockReading> AnchorAsync(CancellationToken cancellationToken = default)
    {
        var reading = await postgres.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reading.RoundTrip <= SlowestAnchoringRoundTrip || !ReferenceTime.Shared.IsAnchored)
        {
            ReferenceTime.Shared.AnchorTo(reading.PostgresUtc, reading.Timestamp);
        }

        metrics.RecordClockOffset(reading.LocalOffset);
        ReportSkew(reading.LocalOffset);
        return reading;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AnchorPeriod);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await AnchorAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or StoreUnavailableException)
            {
                // PostgreSQL is away: the last anchor holds, advanced by the monotonic clock, until it answers again.
                ClockLog.NotAnchored(logger, exception.Message);
            }
        }
    }

    // Once when the clock goes beyond the allowed skew and once when it comes back: not every five seconds.
    private void ReportSkew(TimeSpan offset)
    {
        var maxSkew = memoryOptions.Value.MaxClockSkew;
        var beyond = offset.Duration() > maxSkew;
        if (beyond && !_beyondSkew)
        {
            ClockLog.WallClockSkewed(logger, offset.TotalSeconds, maxSkew.TotalSeconds);
        }
        else if (!beyond && _beyondSkew)
        {
            ClockLog.WallClockBack(logger, offset.TotalSeconds);
        }

        _beyondSkew = beyond;
    }
}
