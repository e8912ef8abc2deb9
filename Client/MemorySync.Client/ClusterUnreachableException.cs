namespace MemorySync.Client;

/// <summary>No silo of the cluster answered: none is running, or the client looks in the wrong Redis or cluster.</summary>
public sealed class ClusterUnreachableException : Exception
{
    public ClusterUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterUnreachableException(string message)
        : base(message)
    {
    }

    public ClusterUnreachableException()
    {
    }
}
