namespace MemorySync;

/// <summary>The memory changed under this write (another writer got there first); read it again and retry.</summary>
[GenerateSerializer, Alias("MemorySync.MemoryConflictException")]
public sealed class MemoryConflictException : Exception
{
    public MemoryConflictException(string memoryId, long expectedVersion, long actualVersion)
        : base($"memory {memoryId} is at version {actualVersion}, not {expectedVersion} as this write expected; read it again and retry")
    {
        MemoryId = memoryId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    public MemoryConflictException()
    {
        MemoryId = string.Empty;
    }

    public MemoryConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        MemoryId = string.Empty;
    }

    [Id(0)]
    public string MemoryId { get; private set; }

    [Id(1)]
    public long ExpectedVersion { get; private set; }

    [Id(2)]
    public long ActualVersion { get; private set; }
}
