namespace MemorySync.FaultTests.Load;

/// <summary>
/// One write the workload sent: an upsert of <paramref name="Content"/> or a delete (<paramref name="Content"/> null).
/// Acknowledged, the entry holds what the acknowledgement said: the version and content the memory was left at (a
/// conflict-aware write may leave the other side's content, or the current version untouched); a batch acknowledges
/// without versions. <paramref name="Refused"/>: the write was refused with nothing stored (a precondition that no
/// longer held, a strict write rolled back), so its content must never appear. Neither: the call failed, so it may or may not have happened.
/// </summary>
internal sealed record LedgerEntry(string MemoryId, string? Content, long? Version, bool Acknowledged, bool Refused = false)
{
    public bool IsDelete => Content is null;

    /// <summary>Failed without a known outcome: it may or may not have been stored.</summary>
    public bool IsUnknown => !Acknowledged && !Refused;
}
