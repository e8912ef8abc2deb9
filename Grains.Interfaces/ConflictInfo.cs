namespace MemorySync;

/// <summary>One recorded conflict: the two sides (as JSON), the strategy that handled it and why.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.ConflictInfo")]
public sealed record ConflictInfo(
    [property: Id(0)] long ConflictId,
    [property: Id(1)] string MemoryId,
    [property: Id(2)] string Strategy,
    [property: Id(3)] string Status,
    [property: Id(4)] long? CurrentVersion,
    [property: Id(5)] long? IncomingVersion,
    [property: Id(6)] string? CurrentJson,
    [property: Id(7)] string? IncomingJson,
    [property: Id(8)] string Reason,
    [property: Id(9)] DateTimeOffset CreatedAt);

/// <summary>How an operator settles a Manual conflict.</summary>
public enum ConflictChoice
{
    /// <summary>Keep the memory's current content.</summary>
    KeepCurrent = 0,

    /// <summary>Take the content of the (latest) incoming write that conflicted.</summary>
    KeepIncoming = 1,

    /// <summary>Write new content given by the operator.</summary>
    NewContent = 2,
}
