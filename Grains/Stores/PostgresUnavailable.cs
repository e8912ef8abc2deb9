using Npgsql;

namespace MemorySync.Stores;

/// <summary>
/// The one exception PostgreSQL's adapters throw: whatever the driver says (an Npgsql exception, a timeout) becomes a
/// <see cref="StoreUnavailableException"/> naming PostgreSQL, so no driver type reaches a grain, and a caller across
/// Orleans can read it (Npgsql's exceptions have no codec). The driver's message never holds a password.
/// </summary>
internal static class PostgresUnavailable
{
    public static bool IsDriverFailure(Exception exception) => exception is NpgsqlException or TimeoutException;

    public static StoreUnavailableException From(Exception exception) =>
        new($"PostgreSQL was unavailable ({exception.Message.Split('\n', 2)[0].Trim()}); retry once it is back");

    /// <summary>Runs a call on PostgreSQL, its driver's failures turned into <see cref="StoreUnavailableException"/>.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception) when (IsDriverFailure(exception))
        {
            throw From(exception);
        }
    }

    /// <inheritdoc cref="GuardAsync{T}"/>
    public static Task GuardAsync(Func<Task> call) => GuardAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Whether a commit that failed so was surely not written: refused before it was sent, or refused by the server (its
    /// transaction aborted). Any other failure (a timeout, a connection lost after sending) leaves its outcome unknown.
    /// </summary>
    public static bool SurelyNotWritten(Exception exception) =>
        exception is PostgresException
        || PostgresConnectionFailures.Classify(exception) is PostgresConnectionFailure.Refused or PostgresConnectionFailure.NotSent;
}
