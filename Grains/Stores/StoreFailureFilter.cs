using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>
/// Turns a store's own exception that escapes a grain call into a <see cref="StoreUnavailableException"/> naming the
/// store. The client could not even read Npgsql's and StackExchange.Redis' exceptions (their fields have no Orleans
/// codec, so a caller got a <c>CodecNotFoundException</c> instead of the reason), and a caller cannot act on a driver's
/// type anyway: what it needs to know is which store failed and that a retry later is the answer.
/// </summary>
internal sealed class StoreFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (StoreOf(exception) is { } store)
        {
            // The driver's message names the failure (refused connection, reset, timeout, SQL state) but no secret:
            // Npgsql and StackExchange.Redis never put a password in one.
            throw new StoreUnavailableException($"{context.MethodName} failed: {store} was unavailable ({exception.Message}); retry once it is back");
        }
    }

    // The store whose driver threw, found anywhere in the chain: a driver may wrap its own exception in a plain one (a
    // connection reset mid-command has reached callers as an InvalidOperationException around Redis' socket error).
    private static string? StoreOf(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var origin = current.GetType().Namespace ?? string.Empty;
            if (current is NpgsqlException || origin.StartsWith("Npgsql", StringComparison.Ordinal))
            {
                return "PostgreSQL";
            }

            if (current is RedisException || origin.StartsWith("StackExchange.Redis", StringComparison.Ordinal) ||
                origin.StartsWith("Pipelines.Sockets.Unofficial", StringComparison.Ordinal))
            {
                return "Redis";
            }
        }

        return null;
    }
}
