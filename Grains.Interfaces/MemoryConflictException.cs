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

    private MemoryConflictException(string memoryId, string message)
        : base(message)
    {
        MemoryId = memoryId;
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

    /// <summary>
    /// The call reached an activation of the memory that a newer one has replaced (its silo was frozen or cut off and
    /// declared dead meanwhile): it did nothing, and sent again it reaches the newer one.
    /// </summary>
    public static MemoryConflictException Moved(string memoryId) =>
        new(memoryId, $"memory {memoryId} has moved to another silo while this call waited; nothing was done, send it again");

    [Id(0)]
    public string MemoryId { get; private set; }

    [Id(1)]
    public long ExpectedVersion { get; private set; }

    [Id(2)]
    public long ActualVersion { get; private set; }
}
