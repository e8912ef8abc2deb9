namespace MemorySync.Client;

/// <summary>
/// A call that could not finish: the silo serving it died (or left) under it, no silo could take it yet, or no reply
/// came within its timeout (<see cref="CallTimeouts"/>). The cluster goes on without that silo within seconds, so the
/// same call sent again shortly is expected to succeed. A write's outcome is unknown (it may have been stored before
/// the reply was lost); sending the same write again is safe, since a write of what the memory already holds stores
/// nothing and returns the version it has. A <see cref="TimeoutException"/>, so code that retries on timeouts goes on working.
/// </summary>
public sealed class CallInterruptedException : TimeoutException
{
    public CallInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CallInterruptedException(string message)
        : base(message)
    {
    }

    public CallInterruptedException()
    {
    }

    /// <summary>Runs a call, turning Orleans' ways of saying it could not finish into this exception.</summary>
    internal static async Task<T> Guard<T>(Task<T> call, string what)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (TimeoutException exception) when (exception is not CallInterruptedException)
        {
            throw new CallInterruptedException($"{what} got no reply in time (its silo may have died): {FirstSentence(exception.Message)}", exception);
        }
        catch (OrleansMessageRejectionException exception)
        {
            // SiloUnavailableException among them: the silo the call went to is gone, or no gateway took it.
            throw new CallInterruptedException($"{what} was not taken: {FirstSentence(exception.Message)}", exception);
        }
        catch (Orleans.Runtime.Messaging.ConnectionFailedException exception)
        {
            throw new CallInterruptedException($"{what} could not reach its silo: {FirstSentence(exception.Message)}", exception);
        }
        catch (OperationCanceledException exception)
        {
            // No call guarded here takes the caller's cancellation token, so this is Orleans giving up on the message:
            // it expired waiting to be placed (the silo that places the grain was frozen, or declared dead meanwhile).
            throw new CallInterruptedException($"{what} could not be placed in time: {FirstSentence(exception.Message)}", exception);
        }
    }

    // Orleans' messages carry pages of diagnostics (the whole message, troubleshooting links): the first sentence says it.
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
