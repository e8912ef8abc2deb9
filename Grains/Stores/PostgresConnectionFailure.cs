using System.Net.Sockets;
using Npgsql;

namespace MemorySync.Stores;

/// <summary>How far a PostgreSQL command got when it failed: what decides whether running it once more is safe.</summary>
internal enum PostgresConnectionFailure
{
    /// <summary>Not the connection's fault: PostgreSQL refused the statement itself, or the command timed out.</summary>
    None,

    /// <summary>No connection could be opened (refused, unreachable, the server still starting): nothing was sent.</summary>
    Refused,

    /// <summary>A pooled connection's send failed: the command never reached the server.</summary>
    NotSent,

    /// <summary>The connection died after the command was sent: it may or may not have run.</summary>
    OutcomeUnknown,
}

/// <summary>Tells a connection that died (a restarted server, a terminated backend, a dropped network) from a statement error.</summary>
internal static class PostgresConnectionFailures
{
    // Npgsql's own message when a send on the socket fails. A send that failed never delivered its last bytes (the
    // Sync that ends the statement's implicit transaction), so PostgreSQL did not commit it.
    private const string WriteFailedMessage = "Exception while writing to stream";

    public static PostgresConnectionFailure Classify(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return Classify(postgres);
            }

            if (current is NpgsqlException npgsql)
            {
                return Classify(npgsql);
            }
        }

        return PostgresConnectionFailure.None;
    }

    private static PostgresConnectionFailure Classify(PostgresException exception) => exception.SqlState switch
    {
        // The server is starting up and refused the connection: nothing was sent.
        PostgresErrorCodes.CannotConnectNow => PostgresConnectionFailure.Refused,
        // The backend was shut down or terminated (pg_terminate_backend, a restart) with the command in its hands.
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.IdleSessionTimeout
            => PostgresConnectionFailure.OutcomeUnknown,
        // Class 08: connection exceptions the server reports itself.
        { } state when state.StartsWith("08", StringComparison.Ordinal) => PostgresConnectionFailure.OutcomeUnknown,
        _ => PostgresConnectionFailure.None,
    };

    private static PostgresConnectionFailure Classify(NpgsqlException exception)
    {
        if (Contains<TimeoutException>(exception))
        {
            // A slow or frozen server, or an exhausted pool, not a dead connection: a second try would only double the wait.
            return PostgresConnectionFailure.None;
        }

        if (Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.AddressNotAvailable })
        {
            return PostgresConnectionFailure.Refused;
        }

        if (exception.Message.StartsWith(WriteFailedMessage, StringComparison.Ordinal))
        {
            return PostgresConnectionFailure.NotSent;
        }

        // Npgsql calls a broken socket (reset, end of stream) transient; anything else it throws is not the connection's.
        return exception.IsTransient ? PostgresConnectionFailure.OutcomeUnknown : PostgresConnectionFailure.None;
    }

    private static bool Contains<T>(Exception exception) where T : Exception => Find<T>(exception) is not null;

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
