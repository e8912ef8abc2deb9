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

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
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
