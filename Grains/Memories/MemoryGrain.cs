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
/// One memory. Not reentrant: its writes run one at a time, so each version is built on the one before it. PostgreSQL
/// commits first (that is the acknowledgement); Redis and FAISS follow, and each success is recorded.
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
    ILogger<MemoryGrain> logger) : Grain, IMemoryGrain, IIncomingGrainCallFilter
{
    private readonly ClockFence _fence = ClockFence.Shared(memoryOptions.Value.MaxClockSkew);

    private StoredMemory? _stored;

    // Set at activation and whenever a commit's outcome is uncertain: the next call reads PostgreSQL first.
    private bool _reloadBeforeNextWrite;

    // This activation's claim on the memory in PostgreSQL (sql/0009): null until its first read there. Once a newer
    // activation has claimed the memory, this one is superseded: it refuses every call and deactivates.
    private long? _epoch;
    private bool _superseded;

    private string MemoryId => this.GetPrimaryKeyString();

    private IIndexGrain Shard => GrainFactory.GetGrain<IIndexGrain>(IndexShards.ShardOf(MemoryId, memoryOptions.Value.IndexShards));

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
        var dimension = faissOptions.Value.Dimension;
        var valid = new MemoryValidator(memoryOptions.Value, dimension).Validate(MemoryId, write);
        RequireOwnedBy(write.CallerAgents, valid.AgentId);
        RequireSameAgent(valid.AgentId);
        var currentVersion = _stored is { Record.Deleted: false } live ? live.Record.Version : 0;
        if (write.ExpectedVersion is { } expected && expected != currentVersion)
        {
            throw new MemoryConflictException(MemoryId, expected, currentVersion);
        }

        if (write.Timestamp is { } stamped)
        {
            // A clock far ahead would win every later conflict: refuse it instead of letting it rule.
            _fence.Admit(stamped);
        }

        if (write.Mode != SyncMode.Strict && UnchangedBy(valid) is { } unchanged)
        {
            return unchanged;
        }

        var embedding = valid.Embedding;
        var model = valid.EmbeddingModel;
        if (embedding is null)
        {
            // Embedding is CPU-bound work: run it off the grain's scheduler, then continue here.
            embedding = await Task.Run(() => embedder.Embed([valid.Content])[0]);
            model = embedder.ModelId;
        }

        var arrival = HybridLogicalClock.Shared.Next();
        var incoming = new MemoryContent(valid.AgentId, valid.Content, valid.MemoryType, valid.Importance, valid.CanonicalMetadata,
            embedding, model, write.Timestamp ?? arrival);
        var current = _stored is { Record.Deleted: false } stored ? stored : null;
        var conflicts = conflictOptions.Value;
        var decision = ConflictResolver.Decide(current?.Record, current?.Hlc ?? 0, current?.Embedding, write, incoming, valid.WriterId,
            write.Strategy ?? conflicts.DefaultStrategy, conflicts.ConcurrentFallback);
        // The sides as JSON (embeddings included) only when a conflict is recorded: most writes have none.
        string? CurrentJson() => current is null ? null : ConflictSides.ToJson(ContentOf(current), current.Record.Version);
        string IncomingJson() => ConflictSides.ToJson(incoming, write.BaseVersion);
        switch (decision.Outcome)
        {
            case ConflictOutcome.Flag:
                metrics.RecordConflict(ConflictSides.StrategyName(decision.Strategy!.Value), "open");
                await conflictLog.RecordConflictAsync(new ConflictEntry(MemoryId, ConflictSides.StrategyName(decision.Strategy!.Value), "open",
                    current!.Record.Version, write.BaseVersion, CurrentJson(), IncomingJson(), null, decision.Reason!));
                _stored = current with { Record = current.Record with { Conflicted = true } };
                return _stored.Record;
            case ConflictOutcome.KeepCurrent:
                metrics.RecordConflict(ConflictSides.StrategyName(decision.Strategy!.Value), "resolved");
                await conflictLog.RecordConflictAsync(new ConflictEntry(MemoryId, ConflictSides.StrategyName(decision.Strategy!.Value), "resolved",
                    current!.Record.Version, write.BaseVersion, CurrentJson(), IncomingJson(), CurrentJson(), decision.Reason!));
                return current.Record;
            default:
                var record = await WriteContentAsync(decision.Content!, valid.WriterId, "upsert", current?.Record.Conflicted ?? false, write.Mode);
                if (decision.IsConflict)
                {
                    metrics.RecordConflict(ConflictSides.StrategyName(decision.Strategy!.Value), "resolved");
                    try
                    {
                        await conflictLog.RecordConflictAsync(new ConflictEntry(MemoryId, ConflictSides.StrategyName(decision.Strategy!.Value), "resolved",
                            current!.Record.Version, write.BaseVersion, CurrentJson(), IncomingJson(),
                            ConflictSides.ToJson(decision.Content!, record.Version), decision.Reason!));
                    }
                    catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
                    {
                        // The version is committed: failing the call now would make the caller write it twice.
                        MemoryLog.ConflictNotRecorded(logger, exception, MemoryId, record.Version);
                    }
                }

                return record;
        }
    }

    // A write of exactly what the live version holds changes nothing, so it stores nothing and returns that version: a
    // caller that sends a write again because its reply was lost (a timeout, a silo that died under it) must not get
    // a second version of the same memory. A new vector for the same content is a change (a re-embedding); an open
    // conflict is settled only by a write that goes through. Strict writes always write: their caller asked for
    // every store to take this write, now.
    private MemoryRecord? UnchangedBy(ValidatedWrite valid)
    {
        if (_stored is not { Record: { Deleted: false, Conflicted: false } record } stored)
        {
            return null;
        }

        var checksum = MemoryChecksum.Compute(MemoryId, valid.AgentId, valid.Content, valid.MemoryType, valid.Importance,
            valid.CanonicalMetadata, deleted: false);
        var sameVector = valid.Embedding is null || (stored.Embedding is { } held && held.AsSpan().SequenceEqual(valid.Embedding));
        return string.Equals(checksum, record.Checksum, StringComparison.Ordinal) && sameVector ? record : null;
    }

    public async Task<MemoryRecord> ResolveAsync(ConflictChoice choice, string? content = null)
    {
        await ReloadIfUncertainAsync();
        var open = await conflictLog.OpenConflictsAsync(MemoryId);
        if (_stored is not { Record.Deleted: false } stored || open.Count == 0)
        {
            throw new MemoryValidationException("memory_id", $"memory {MemoryId} has no open conflict");
        }

        var resolved = choice switch
        {
            ConflictChoice.KeepCurrent => ContentOf(stored),
            ConflictChoice.KeepIncoming => ConflictSides.FromJson(open[^1].IncomingJson!),
            _ => await NewContentAsync(stored, content),
        };
        var record = await WriteContentAsync(resolved with { Hlc = HybridLogicalClock.Shared.Next() }, MemoryValidator.OperatorWriter, "resolve",
            conflicted: false, SyncMode.Eventual);
        await conflictLog.ResolveConflictsAsync(MemoryId, ConflictSides.ToJson(resolved, record.Version),
            $"resolved by an operator ({choice}) as version {record.Version}");
        return record;
    }

    private async Task<MemoryContent> NewContentAsync(StoredMemory stored, string? content)
    {
        var write = new MemoryWrite(MemoryId, content ?? string.Empty, stored.Record.MemoryType, stored.Record.Importance,
            stored.Record.MetadataJson, AgentId: stored.Record.AgentId, WriterId: MemoryValidator.OperatorWriter);
        var valid = new MemoryValidator(memoryOptions.Value, faissOptions.Value.Dimension).Validate(MemoryId, write);
        var embedding = await Task.Run(() => embedder.Embed([valid.Content])[0]);
        return new MemoryContent(valid.AgentId, valid.Content, valid.MemoryType, valid.Importance, valid.CanonicalMetadata, embedding,
            embedder.ModelId, 0);
    }

    private static MemoryContent ContentOf(StoredMemory stored) =>
        new(stored.Record.AgentId, stored.Record.Content, stored.Record.MemoryType, stored.Record.Importance, stored.Record.MetadataJson,
            stored.Embedding, stored.Record.EmbeddingModel, stored.Hlc);

    private Task<MemoryRecord> WriteContentAsync(MemoryContent content, string writerId, string operation, bool conflicted, SyncMode mode)
    {
        var checksum = MemoryChecksum.Compute(MemoryId, content.AgentId, content.Content, content.MemoryType, content.Importance,
            content.CanonicalMetadata, deleted: false);
        var record = NextRecord(writerId) with
        {
            AgentId = content.AgentId,
            Content = content.Content,
            MemoryType = content.MemoryType,
            Importance = content.Importance,
            MetadataJson = content.CanonicalMetadata,
            Checksum = checksum,
            Deleted = false,
            Conflicted = conflicted,
            EmbeddingModel = content.EmbeddingModel,
            EmbeddingDimension = content.Embedding?.Length,
        };
        // The version carries the winning write's own time, so later conflicts compare writes, not arrivals.
        return SyncAsync(record, content.Embedding, writerId, operation, mode, content.Hlc);
    }

    public async Task<MemoryRecord?> DeleteAsync(IReadOnlyList<string>? callerAgents = null)
    {
        await ReloadIfUncertainAsync();
        RequireOwnedBy(callerAgents, newAgent: null);
        if (_stored is not { Record.Deleted: false } stored)
        {
            return null;
        }

        var current = stored.Record;
        var record = NextRecord(MemoryValidator.AnonymousWriter) with
        {
            Checksum = MemoryChecksum.Compute(current.MemoryId, current.AgentId, current.Content, current.MemoryType,
                current.Importance, current.MetadataJson, deleted: true),
            Deleted = true,
        };
        return await SyncAsync(record, stored.Embedding, MemoryValidator.AnonymousWriter, "delete", SyncMode.Eventual);
    }

    // A memory's agent is fixed once it exists: an upsert naming another agent would otherwise move the memory (and
    // hand it to whoever wrote). Checked on the memory's own turn, against its live version; moving a memory is a delete
    // and a new write, which its history then shows.
    private void RequireSameAgent(string agentId)
    {
        if (_stored is { Record.Deleted: false } live && !string.Equals(live.Record.AgentId, agentId, StringComparison.Ordinal))
        {
            throw new MemoryValidationException("agent_id",
                $"memory {MemoryId} belongs to agent '{live.Record.AgentId}', not '{agentId}'; an agent_id is fixed once a memory exists (delete it and write it again to move it)");
        }
    }

    // An API key's boundary, checked here, on the memory's own turn, so no other write can move the memory in between.
    // The latest version decides, a tombstone's too: a deleted memory's history stays its agent's.
    private void RequireOwnedBy(IReadOnlyList<string>? callerAgents, string? newAgent)
    {
        if (callerAgents is null)
        {
            return;
        }

        if (newAgent is not null && !callerAgents.Contains(newAgent, StringComparer.Ordinal))
        {
            throw new MemoryValidationException("agent_id", $"'{newAgent}' is not an agent the caller may write for");
        }

        if (_stored is { } stored && !callerAgents.Contains(stored.Record.AgentId, StringComparer.Ordinal))
        {
            throw new ForeignMemoryException(MemoryId);
        }
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

    // The next version on top of the current one: content fields copied, sync fields advanced.
    private MemoryRecord NextRecord(string writerId)
    {
        var current = _stored?.Record;
        var version = (current?.Version ?? 0) + 1;
        var vector = new Dictionary<string, long>(current?.VersionVector ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        vector[writerId] = vector.GetValueOrDefault(writerId) + 1;
        var previousStores = current?.StoreVersions ?? StoreVersions.None;
        return new MemoryRecord(
            MemoryId, current?.AgentId ?? MemoryWrite.DefaultAgent, current?.Content ?? string.Empty,
            current?.MemoryType ?? MemoryTypes.Episodic, current?.Importance ?? 0, current?.MetadataJson ?? "{}",
            version, string.Empty, ReferenceTime.Shared.GetUtcNow(), vector, previousStores with { Postgres = version },
            current?.Deleted ?? false, current?.EmbeddingModel, current?.EmbeddingDimension);
    }

    private async Task<MemoryRecord> SyncAsync(MemoryRecord record, float[]? embedding, string writerId, string operation, SyncMode mode,
        long? writeHlc = null)
    {
        var hlc = writeHlc ?? HybridLogicalClock.Shared.Next();
        if (mode == SyncMode.Strict)
        {
            return await SyncStrictAsync(record, embedding, writerId, operation, hlc);
        }

        var started = Stopwatch.GetTimestamp();
        var transactionId = Guid.NewGuid();
        var previousVersion = _stored?.Record.Version ?? 0;
        long? label;
        try
        {
            label = await metrics.TimeAsync(StoreNames.Postgres, () => episodic.CommitAsync(
                new MemoryCommit(record, embedding, previousVersion, transactionId, operation, writerId, hlc, _epoch ?? 0, outboxOptions.Value.WriterGrace)));
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            // The commit may or may not have happened (a lost reply): the next call reads PostgreSQL again first.
            _stored = null;
            _reloadBeforeNextWrite = true;
            throw new StoreUnavailableException(
                $"PostgreSQL did not take version {record.Version} of memory {MemoryId} ({exception.Message}); nothing was written to Redis or FAISS");
        }

        if (label is null)
        {
            var actual = await LoadClaimedAsync();
            if (actual is not null && actual.Record.Version == record.Version && actual.Record.Checksum == record.Checksum)
            {
                // A replay of a commit that did happen: go on with the stores that may have missed it.
                label = actual.Label;
            }
            else
            {
                // Another activation of this memory wrote first or claimed it (possible only around a silo failure):
                // start over from what PostgreSQL holds, and let the caller retry on top of it (or on the newer activation).
                _stored = actual;
                throw new MemoryConflictException(MemoryId, previousVersion, actual?.Record.Version ?? 0);
            }
        }

        _stored = new StoredMemory(record, label.Value, embedding, hlc);
        await CatchUpAsync(transactionId, started, redisBehind: true, faissBehind: true);
        return _stored.Record;
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

    // Applies the current version to the stores that are behind, then records in one statement which stores hold it
    // (their outbox rows done, store_versions, the sync transaction closed). Returns the stores holding the version.
    private async Task<(List<string> InSync, string? Error)> CatchUpAsync(Guid? transactionId, long started, bool redisBehind, bool faissBehind)
    {
        var stored = _stored!;
        var record = stored.Record;
        var (applied, error) = await ApplyToSecondaryStoresAsync(record, stored.Label, stored.Embedding, redisBehind, faissBehind);
        var inSync = new List<string>(2);
        if (!redisBehind || applied.Contains(StoreNames.Redis))
        {
            inSync.Add(StoreNames.Redis);
        }

        if (!faissBehind || applied.Contains(StoreNames.Faiss))
        {
            inSync.Add(StoreNames.Faiss);
        }

        var versions = MarkHeld(stored, inSync);
        try
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await episodic.CompleteAsync(new SyncCompletion(MemoryId, record.Version, transactionId, versions, inSync, elapsed, error));
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            // The memory is committed; only the bookkeeping of the secondary stores is lost, and their outbox rows
            // stay pending, so the outbox drainer applies them again (harmlessly: the writes are version-guarded).
            MemoryLog.CompletionFailed(logger, exception, MemoryId, record.Version);
        }

        return (inSync, error);
    }

    // The stores that now hold the current version say so in its store versions, here and in the grain's copy.
    private StoreVersions MarkHeld(StoredMemory stored, IReadOnlyCollection<string> stores)
    {
        var record = stored.Record;
        var versions = record.StoreVersions with
        {
            Redis = stores.Contains(StoreNames.Redis) ? record.Version : record.StoreVersions.Redis,
            Faiss = stores.Contains(StoreNames.Faiss) ? record.Version : record.StoreVersions.Faiss,
        };
        _stored = stored with { Record = record with { StoreVersions = versions } };
        return versions;
    }

    private async Task<(List<string> Applied, string? Error)> ApplyToSecondaryStoresAsync(
        MemoryRecord record, long label, float[]? embedding, bool redis, bool faiss)
    {
        var synced = new List<string>(2);
        var errors = new List<string>();
        if (redis)
        {
            await ApplyToRedisAsync(record, synced, errors);
        }

        if (faiss)
        {
            await ApplyToFaissAsync(record, label, embedding, synced, errors);
        }

        return (synced, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    private async Task ApplyToRedisAsync(MemoryRecord record, List<string> synced, List<string> errors)
    {
        try
        {
            await WriteRedisAsync(record);
            synced.Add(StoreNames.Redis);
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            // Whatever the driver throws (mostly RedisException, but a connection reset mid-command has surfaced as an
            // InvalidOperationException): PostgreSQL holds the version, so this write succeeds and the outbox retries Redis.
            MemoryLog.StoreWriteFailed(logger, exception, StoreNames.Redis, record.MemoryId, record.Version);
            errors.Add($"redis: {exception.Message}");
        }
    }

    private async Task ApplyToFaissAsync(MemoryRecord record, long label, float[]? embedding, List<string> synced, List<string> errors)
    {
        try
        {
            await WriteFaissAsync(record, label, embedding);
            synced.Add(StoreNames.Faiss);
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            MemoryLog.StoreWriteFailed(logger, exception, StoreNames.Faiss, record.MemoryId, record.Version);
            errors.Add($"faiss: {exception.Message}");
        }
    }

    // The one way each secondary store takes a version (eventual, strict and catch-up alike), timed for /metrics.
    private Task WriteRedisAsync(MemoryRecord record) => metrics.TimeAsync(StoreNames.Redis, () =>
        record.Deleted ? working.DeleteAsync(record.MemoryId, record.Version) : working.WriteAsync(record));

    private Task WriteFaissAsync(MemoryRecord record, long label, float[]? embedding) => metrics.TimeAsync(StoreNames.Faiss, () =>
        record.Deleted || embedding is null
            ? Shard.RemoveAsync(label, record.Version)
            : Shard.UpsertAsync(new IndexEntry(label, record.MemoryId, record.AgentId, record.MemoryType, record.Version, embedding)));
}
