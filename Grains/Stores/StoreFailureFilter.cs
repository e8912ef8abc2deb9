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
        catch (NpgsqlException exception)
        {
            throw new StoreUnavailableException(Describe(context, "PostgreSQL", exception));
        }
        catch (RedisException exception)
        {
            throw new StoreUnavailableException(Describe(context, "Redis", exception));
        }
    }

    // The driver's message names the failure (refused connection, timeout, SQL state) but no secret: Npgsql and
    // StackExchange.Redis never put a password in one.
    private static string Describe(IIncomingGrainCallContext context, string store, Exception exception) =>
        $"{context.MethodName} failed: {store} was unavailable ({exception.Message}); retry once it is back";
}
