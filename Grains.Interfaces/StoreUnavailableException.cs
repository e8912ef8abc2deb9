namespace MemorySync;

/// <summary>PostgreSQL, the source of truth, could not take the write: nothing was written anywhere; retry later.</summary>
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
