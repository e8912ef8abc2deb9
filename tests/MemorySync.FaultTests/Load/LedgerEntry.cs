namespace MemorySync.FaultTests.Load;

/// <summary>
/// One write the workload sent: an upsert of <paramref name="Content"/> (unique to this write) or a delete
/// (<paramref name="Content"/> null). <paramref name="Version"/> is what the acknowledgement returned, when it returned
/// one (a batch acknowledges without versions). Not acknowledged: the call failed, so it may or may not have happened.
/// </summary>
internal sealed record LedgerEntry(string MemoryId, string? Content, long? Version, bool Acknowledged)
{
    public bool IsDelete => Content is null;
}
