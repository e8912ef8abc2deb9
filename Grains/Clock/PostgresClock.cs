using System.Diagnostics;
using MemorySync.Stores;
using Npgsql;

namespace MemorySync.Clock;

/// <summary>Reads PostgreSQL's clock, the one clock every silo of a cluster shares.</summary>
internal sealed class PostgresClock(NpgsqlDataSource postgres, PostgresConnectionRecovery recovery)
{
    // The best of a few round trips: a reading is only as exact as its round trip is short.
    private const int Attempts = 3;

    public async Task<ClockReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        ClockReading? best = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var reading = await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
            if (best is null || reading.RoundTrip < best.Value.RoundTrip)
            {
                best = reading;
            }
        }

        return best!.Value;
    }

    private async Task<ClockReading> ReadOnceAsync(CancellationToken cancellationToken)
    {
        // clock_timestamp(), not now(): now() is the transaction's start, which a pooled connection may report late.
        await using var command = postgres.CreateCommand("SELECT clock_timestamp()");
        var sent = Stopwatch.GetTimestamp();
        var localSent = TimeProvider.System.GetUtcNow();
        var answer = await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var roundTrip = Stopwatch.GetElapsedTime(sent);
        var postgresUtc = new DateTimeOffset(DateTime.SpecifyKind((DateTime)answer!, DateTimeKind.Utc));
        var middle = sent + (long)(roundTrip.TotalSeconds / 2 * Stopwatch.Frequency);
        return new ClockReading(postgresUtc, middle, localSent + roundTrip / 2, roundTrip);
    }
}
