namespace MemorySync;

/// <summary>A strict write failed in one store; every store it had touched was restored to the previous version.</summary>
[GenerateSerializer, Alias("MemorySync.StrictSyncException")]
public sealed class StrictSyncException : Exception
{
    public StrictSyncException(string message)
        : base(message)
    {
    }

    public StrictSyncException()
    {
    }

    public StrictSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
