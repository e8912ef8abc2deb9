namespace MemorySync.Security;

/// <summary>
/// The cluster refused a call from a client outside it: the method is internal to the cluster, or the role of the
/// client's certificate (operator, agent) does not allow it. Nothing was done.
/// </summary>
[GenerateSerializer, Alias("MemorySync.Security.CallerNotAllowedException")]
public sealed class CallerNotAllowedException : Exception
{
    public CallerNotAllowedException(string message)
        : base(message)
    {
    }

    public CallerNotAllowedException()
    {
    }

    public CallerNotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
