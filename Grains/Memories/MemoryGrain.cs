using System.Diagnostics;
using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Embeddings;
using MemorySync.Model;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemorySync.Memories;

/// <summary>
/// One memory. Not reentrant: its writes run one at a time, so each version is built on the one before it. A write is
/// planned here and runs through the pipeline (MemoryGrain.Pipeline.cs): commit, apply, complete.
/// </summary>
internal sealed partial class MemoryGrain(
    IEpisodicStore episodic,
    IConflictLog conflictLog,
    IWorkingMemoryStore working,
    IEmbeddingGenerator embedder,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<FaissOptions> faissOptions,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<ConflictOptions> conflictOptions,
    MemorySyncMetrics metrics,
    Failpoints failpoints,
    ILogger<MemoryGrain> logger) : Grain, IMemoryGrain, IIncomingGrainCallFilter
{
    private readonly ClockFence _fence = ClockFence.Shared(memoryOptions.Value.MaxClockSkew);
    private readonly MemoryValidator _validator = new(memoryOptions.Value, faissOptions.Value.Dimension);
    private readonly ContentEmbedder _contents = new(embedder);
    private readonly ConflictRecorder _conflicts = new(conflictLog, metrics, logger);
    private readonly CompletionRecorder _completions = new(episodic, logger);
    private SecondaryStoreWriter? _secondaries;

    private StoredMemory? _stored;

    // Set at activation and whenever a commit's outcome is uncertain: the next call reads PostgreSQL first.
    private bool _reloadBeforeNextWrite;

    // This activation's claim on the memory in PostgreSQL (sql/0009): null until its first read there. Once a newer
    // activation has claimed the memory, this one is superseded: it refuses every call and deactivates.
    private long? _epoch;
    private bool _superseded;

    private string MemoryId => this.GetPrimaryKeyString();

    // Made on first use, not at activation: the key of a memory whose every call is refused is never hashed to a shard.
    private SecondaryStoreWriter Secondaries => _secondaries ??= new(working,
        GrainFactory.GetGrain<IIndexGrain>(IndexShards.ShardOf(MemoryId, memoryOptions.Value.IndexShards)), faissOptions.Value.Dimension, metrics, failpoints, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // PostgreSQL is read before the first call that needs the memory, not here: an activation failed by a down
        // PostgreSQL reaches the caller as the driver's own exception (which the client cannot even deserialize), while a
        // failed call reaches it through StoreFailureFilter as a StoreUnavailableException. An id outside the charset
        // is never read at all: nothing is stored under it, every write refuses it (MemoryValidator), and PostgreSQL
        // would fail on a NUL in it instead of that refusal.
        _reloadBeforeNextWrite = MemoryIds.IsValid(MemoryId, memoryOptions.Value.MaxIdLength);
        return Task.CompletedTask;
    }

    // Every call names its memory by the grain's key, repairs and re-embeddings too: a key no write would accept is
    // refused before any work (hashing it to a shard, asking PostgreSQL for it), with the error a write gets.
    public Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            MemoryValidator.RequireMemoryId(MemoryId, memoryOptions.Value.MaxIdLength);
        }
        catch (MemoryValidationException refused)
        {
            return Task.FromException(refused);
        }

        return context.Invoke();
    }

    public async Task<MemoryRecord?> GetAsync()
    {
        // A memory this activation has never seen is read from PostgreSQL each time: an older activation (on a silo
        // about to learn it is dead) may still create it, and its row fences that activation only once this one has
        // claimed it. Reads of memories that exist are answered from the copy, which no other activation can outdate.
        _reloadBeforeNextWrite |= _stored is null;
        await ReloadIfUncertainAsync();
        return _stored is { Record.Deleted: false } stored ? stored.Record : null;
    }

    public Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync() => episodic.HistoryAsync(MemoryId);

    public async Task<string?> GetOwnerAsync()
    {
        await ReloadIfUncertainAsync();
        return _stored?.Record.AgentId;
    }

    public async Task<MemoryRecord> UpsertAsync(MemoryWrite write)
    {
        await ReloadIfUncertainAsync();
        var valid = WriteAdmission.Admit(MemoryId, _stored, write, _validator, _fence);
        if (write.Mode != SyncMode.Strict && MemoryVersions.UnchangedBy(MemoryId, _stored, valid) is { } unchanged)
        {
            return unchanged;
        }

        var incoming = await _contents.IncomingAsync(valid, write.Timestamp);
        var current = _stored is { Record.Deleted: false } stored ? stored : null;
        var conflicts = conflictOptions.Value;
        var decision = ConflictResolver.Decide(current?.Record, current?.Hlc ?? 0, current?.Embedding, write, incoming, valid.WriterId,
            write.Strategy ?? conflicts.DefaultStrategy, conflicts.ConcurrentFallback);
        switch (decision.Outcome)
        {
            case ConflictOutcome.Flag:
                await _conflicts.RecordOpenAsync(decision, current!, incoming, write.BaseVersion);
                _stored = current! with { Record = current.Record with { Conflicted = true } };
                return _stored.Record;
            case ConflictOutcome.KeepCurrent:
                await _conflicts.RecordKeptCurrentAsync(decision, current!, incoming, write.BaseVersion);
                return current!.Record;
            default:
                var record = await WriteContentAsync(decision.Content!, valid.WriterId, "upsert", current?.Record.Conflicted ?? false, write.Mode);
                if (decision.IsConflict)
                {
                    await _conflicts.RecordAppliedAsync(decision, current!, incoming, write.BaseVersion, record);
                }

                return record;
        }
    }

    public async Task<MemoryRecord> ResolveAsync(ConflictChoice choice, string? content = null)
    {
        await ReloadIfUncertainAsync();
        var open = await _conflicts.OpenAsync(MemoryId);
        if (_stored is not { Record.Deleted: false } stored || open.Count == 0)
        {
            throw new MemoryValidationException("memory_id", $"memory {MemoryId} has no open conflict");
        }

        var resolved = choice switch
        {
            ConflictChoice.KeepCurrent => MemoryContent.Of(stored),
            ConflictChoice.KeepIncoming => ConflictSides.FromJson(open[^1].IncomingJson!),
            _ => await _contents.OperatorEditAsync(MemoryId, stored, content, _validator),
        };
        var record = await WriteContentAsync(resolved with { Hlc = HybridLogicalClock.Shared.Next() }, MemoryValidator.OperatorWriter, "resolve",
            conflicted: false, SyncMode.Eventual);
        await _conflicts.RecordOperatorChoiceAsync(choice, resolved, record);
        return record;
    }

    private Task<MemoryRecord> WriteContentAsync(MemoryContent content, string writerId, string operation, bool conflicted, SyncMode mode) =>
        // The version carries the winning write's own time, so later conflicts compare writes, not arrivals.
        SyncAsync(MemoryVersions.NextWith(MemoryId, _stored?.Record, writerId, content, conflicted), content.Embedding, writerId, operation, mode,
            content.Hlc);

    public async Task<MemoryRecord?> DeleteAsync(IReadOnlyList<string>? callerAgents = null)
    {
        await ReloadIfUncertainAsync();
        WriteAdmission.RequireOwnedBy(MemoryId, _stored, callerAgents, newAgent: null);
        if (_stored is not { Record.Deleted: false } stored)
        {
            return null;
        }

        var record = MemoryVersions.NextTombstone(MemoryId, stored.Record, MemoryValidator.AnonymousWriter);
        return await SyncAsync(record, stored.Embedding, MemoryValidator.AnonymousWriter, "delete", SyncMode.Eventual);
    }

    private async Task ReloadIfUncertainAsync()
    {
        if (_reloadBeforeNextWrite)
        {
            _stored = await LoadClaimedAsync();
            _reloadBeforeNextWrite = false;
            if (_stored is not null)
            {
                _fence.ObserveStored(_stored.Hlc);
            }
        }

        if (_superseded)
        {
            throw MemoryConflictException.Moved(MemoryId);
        }
    }

    // Every read of PostgreSQL by this activation claims the memory for it, so no older activation commits over what it
    // read. A newer one's claim found here means this activation lost the memory: it deactivates, and calls sent again
    // reach the newer one.
    private async Task<StoredMemory?> LoadClaimedAsync()
    {
        var claim = await episodic.ClaimAsync(MemoryId, _epoch);
        _epoch = claim.Epoch;
        if (claim.Superseded && !_superseded)
        {
            _superseded = true;
            MemoryLog.Superseded(logger, MemoryId, claim.Epoch);
            this.DeactivateOnIdle();
        }

        return claim.Memory;
    }

    public async Task<ReplicationResult> ReplicateAsync()
    {
        await ReloadIfUncertainAsync();
        if (_stored is null)
        {
            return new ReplicationResult(0, [], $"memory {MemoryId} is not in PostgreSQL");
        }

        var versions = _stored.Record.StoreVersions;
        var version = _stored.Record.Version;
        var (inSync, error) = await CatchUpAsync(transactionId: null, Stopwatch.GetTimestamp(),
            redisBehind: versions.Redis < version, faissBehind: versions.Faiss < version);
        return new ReplicationResult(version, inSync, error);
    }
}
