using Microsoft.Extensions.Logging;
using Npgsql;

namespace MemorySync.Stores;

/// <summary>
/// What every PostgreSQL call does when its connection turns out dead (the server restarted, the backend was
/// terminated): the pools are cleared, so no later call is handed a connection that died with the old server, and the
/// command runs again, on a fresh connection, when that is safe (<see cref="PostgresRetry"/>). Without it, after
/// each restart the first call through every idle pooled connection failed although PostgreSQL was up again.
/// </summary>
/// <remarks>
/// Npgsql clears a pool by draining its idle connections while other callers may still be taking them, so under load
/// a re-run can itself draw a connection that died with the same server. Each dead connection fails once and is gone,
/// so a command keeps being re-run while it meets dead pooled connections, at most one more time than the pool holds
/// connections. A refused connection has met the server as it is now: it gets one re-run, and then the caller hears at
/// once, as before, that PostgreSQL is down. A statement error (a constraint, a guard) and a timeout are not the
/// connection's, and pass through untouched.
/// </remarks>
internal sealed class PostgresConnectionRecovery
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly string? _sharedPoolConnectionString;
    private readonly int _maxReruns;

    /// <param name="dataSource">MemorySync's own pool.</param>
    /// <param name="logger">Where retries are logged (the driver's message only: it never holds a password).</param>
    /// <param name="sharedPoolConnectionString">
    /// The connection string Orleans' grain storage and reminders open their connections with (their pool is keyed by
    /// it): cleared together with ours, since its idle connections died with the same server.
    /// </param>
    public PostgresConnectionRecovery(NpgsqlDataSource dataSource, ILogger<PostgresConnectionRecovery> logger, string? sharedPoolConnectionString = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _sharedPoolConnectionString = sharedPoolConnectionString;
        _maxReruns = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize + 1;
    }

    /// <summary>Runs the command; if its connection died, clears the pools and runs it again when <paramref name="retry"/> allows.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> command, PostgresRetry retry, CancellationToken cancellationToken = default)
    {
        for (var rerun = 0; ; rerun++)
        {
            try
            {
                return await command(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (rerun < _maxReruns && Recover(exception, retry, rerun))
            {
                // Recover cleared the pools: the next try opens a connection to the server as it is now.
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Func<CancellationToken, Task> command, PostgresRetry retry, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            await command(token).ConfigureAwait(false);
            return true;
        }, retry, cancellationToken);

    // After a failure: clears the pools if the connection died, and says whether the command may run again.
    private bool Recover(Exception exception, PostgresRetry retry, int rerun)
    {
        var failure = PostgresConnectionFailures.Classify(exception);
        if (failure == PostgresConnectionFailure.None)
        {
            return false;
        }

        // Npgsql clears its pool itself for most broken connections; clearing again is cheap and covers the rest
        // (and Orleans' pool, which it does not know is on the same server).
        _dataSource.Clear();
        if (_sharedPoolConnectionString is not null)
        {
            using var shared = new NpgsqlConnection(_sharedPoolConnectionString);
            NpgsqlConnection.ClearPool(shared);
        }

        var again = failure switch
        {
            PostgresConnectionFailure.Refused => rerun == 0,
            PostgresConnectionFailure.NotSent => true,
            _ => retry == PostgresRetry.Repeatable,
        };
        if (again)
        {
            StoreLog.RetryingOnFreshConnection(_logger, failure, exception.Message);
        }
        else
        {
            StoreLog.NotRetried(_logger, failure, exception.Message);
        }

        return again;
    }
}
