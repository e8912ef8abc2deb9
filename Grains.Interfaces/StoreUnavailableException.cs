namespace MemorySync;

/// <summary>
/// A store the call needed did not answer; the message names it. From a write: PostgreSQL, the source of truth, did not
/// take it, so nothing was written anywhere (unless the message says otherwise). Retry later.
/// </summary>
[GenerateSerializer, Alias("MemorySync.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
