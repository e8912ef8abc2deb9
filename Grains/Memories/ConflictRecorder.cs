using MemorySync.Diagnostics;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;

namespace MemorySync.Memories;

/// <summary>
/// A memory's conflicts on record: each write that met one is counted and kept in the conflict log with both sides, the
/// strategy and its reason, and an operator's choice closes the ones a Manual strategy left open. The sides are turned
/// into JSON (embeddings included) only here, when a conflict is recorded: most writes have none.
/// </summary>
internal sealed class ConflictRecorder(IConflictLog log, MemorySyncMetrics metrics, ILogger logger)
{
    private const string Open = "open";
    private const string Resolved = "resolved";

    /// <summary>The strategy left the conflict to an operator: both sides are kept, and the memory is flagged.</summary>
    public Task RecordOpenAsync(ConflictDecision decision, StoredMemory current, MemoryContent incoming, long? incomingVersion) =>
        RecordAsync(decision, current, incoming, incomingVersion, Open, resolved: null);

    /// <summary>The current version won: the incoming write is kept only here.</summary>
    public Task RecordKeptCurrentAsync(ConflictDecision decision, StoredMemory current, MemoryContent incoming, long? incomingVersion) =>
        RecordAsync(decision, current, incoming, incomingVersion, Resolved, (MemoryContent.Of(current), current.Record.Version));

    /// <summary>The decision's content was committed as <paramref name="written"/>.</summary>
    public async Task RecordAppliedAsync(ConflictDecision decision, StoredMemory current, MemoryContent incoming, long? incomingVersion,
        MemoryRecord written)
    {
        try
        {
            await RecordAsync(decision, current, incoming, incomingVersion, Resolved, (decision.Content!, written.Version));
        }
        catch (StoreUnavailableException exception)
        {
            // The version is committed: failing the call now would make the caller write it twice.
            MemoryLog.ConflictNotRecorded(logger, exception, written.MemoryId, written.Version);
        }
    }

    /// <summary>The memory's conflicts waiting for an operator, oldest first.</summary>
    public Task<IReadOnlyList<ConflictInfo>> OpenAsync(string memoryId) => log.OpenConflictsAsync(memoryId);

    /// <summary>An operator's <paramref name="choice"/> settled the memory's open conflicts as <paramref name="written"/>.</summary>
    public Task RecordOperatorChoiceAsync(ConflictChoice choice, MemoryContent resolved, MemoryRecord written) =>
        log.ResolveConflictsAsync(written.MemoryId, ConflictSides.ToJson(resolved, written.Version),
            $"resolved by an operator ({choice}) as version {written.Version}");

    private Task RecordAsync(ConflictDecision decision, StoredMemory current, MemoryContent incoming, long? incomingVersion, string status,
        (MemoryContent Content, long Version)? resolved)
    {
        var strategy = ConflictSides.StrategyName(decision.Strategy!.Value);
        metrics.RecordConflict(strategy, status);
        return log.RecordConflictAsync(new ConflictEntry(current.Record.MemoryId, strategy, status, current.Record.Version, incomingVersion,
            ConflictSides.ToJson(MemoryContent.Of(current), current.Record.Version), ConflictSides.ToJson(incoming, incomingVersion),
            resolved is { } side ? ConflictSides.ToJson(side.Content, side.Version) : null, decision.Reason!));
    }
}
