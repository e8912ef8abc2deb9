using Npgsql;

namespace MemorySync.Stores;

/// <summary>
/// A strict write's PostgreSQL transaction, its version written and still open: committed by <see cref="CommitAsync"/>
/// once the other stores took the write, rolled back by disposing it otherwise.
/// </summary>
internal sealed class PostgresOpenCommit(NpgsqlConnection connection, NpgsqlTransaction transaction, long? label) : IOpenCommit
{
    private bool _committed;
    private bool _disposed;

    public long? Label { get; } = label;

    public async Task<CommitOutcome> CommitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresUnavailable.IsDriverFailure(exception) || exception is InvalidOperationException)
        {
            // COMMIT's reply was lost (or the server had ended the session, Postgres:StrictTransactionIdleSeconds): the
            // caller reads the memory to learn which.
            return CommitOutcome.Unknown(exception.Message);
        }

        _committed = true;
        return CommitOutcome.Committed(Label ?? throw new InvalidOperationException("a write the version guard refused is never committed"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_committed && transaction.Connection is not null)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: PostgreSQL rolls back an unfinished transaction by itself.
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
