namespace MemorySync.Faiss;

/// <summary>A FAISS call failed; the message is FAISS's own (or the shim's, for a bad argument).</summary>
public sealed class FaissException : Exception
{
    public FaissException(string message)
        : base(message)
    {
    }

    public FaissException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FaissException()
    {
    }
}
