namespace MemorySync;

/// <summary>
/// The memory belongs to an agent outside the caller's (an API key's boundary); nothing was changed. The agent-facing
/// surfaces answer it as "not found" for reads and deletes, so another agent's memories never show that they exist.
/// </summary>
[GenerateSerializer, Alias("MemorySync.ForeignMemoryException")]
public sealed class ForeignMemoryException : Exception
{
    public ForeignMemoryException(string memoryId)
        : base($"memory_id: {memoryId} is held by a memory of another agent; choose another id")
    {
        MemoryId = memoryId;
    }

    public ForeignMemoryException()
    {
        MemoryId = string.Empty;
    }

    public ForeignMemoryException(string message, Exception innerException)
        : base(message, innerException)
    {
        MemoryId = string.Empty;
    }

    [Id(0)]
    public string MemoryId { get; private set; }
}
