using System.Diagnostics;
using System.Text.Json;
using MemorySync.Configuration;
using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// The write pipeline: plan, commit, apply, complete (docs/write-path.md). Eventual and strict are two orderings of the
/// same steps. Eventual: commit (the acknowledgement), apply to Redis and FAISS (a store that fails is left to the
/// outbox), complete. Strict: commit with PostgreSQL's transaction held open, apply (both stores or neither: one that
/// fails puts the other back and the transaction rolls back, and the caller gets <see cref="StrictSyncException"/>),
/// commit the transaction, complete. Each step's failures come from the stores' adapters as one exception
/// (<see cref="StoreUnavailableException"/>) or an outcome; no driver type reaches this grain.
/// </summary>
internal sealed partial class MemoryGrain
{
    private async Task<MemoryRecord> SyncAsync(MemoryRecord record, float[]? embedding, string writerId, string operation, SyncMode mode,
        long? writeHlc = null)
    {
        var plan = new MemoryCommit(record, embedding, _stored?.Record.Version ?? 0, Guid.NewGuid(), operation, writerId,
            writeHlc ?? HybridLogicalClock.Shared.Next(), _epoch ?? 0, outboxOptions.Value.WriterGrace, mode);
        return mode == SyncMode.Strict ? await RunStrictAsync(plan) : await RunEventualAsync(plan);
    }

    private async Task<MemoryRecord> RunEventualAsync(MemoryCommit plan)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await metrics.TimeAsync(StoreNames.Postgres, () => CommitOrRefuseAsync(() => episodic.CommitAsync(plan), plan));
        var label = await CommittedLabelAsync(plan, outcome, replayMayHaveCommitted: true);
        _stored = new StoredMemory(plan.Record, label, plan.Embedding, plan.Hlc);
        failpoints.Reach(FailpointNames.AfterCommit);
        await CatchUpAsync(plan.TransactionId, started, redisBehind: true, faissBehind: true);
        return _stored.Record;
    }

    private async Task<MemoryRecord> RunStrictAsync(MemoryCommit plan)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = _stored;
        await using var open = await CommitOrRefuseAsync(() => episodic.BeginCommitAsync(plan), plan);
        var label = await CommittedLabelAsync(plan, open.Label is { } held ? CommitOutcome.Committed(held) : CommitOutcome.VersionMoved(),
            replayMayHaveCommitted: false);
        await ApplyAllOrRollBackAsync(plan, open, label, previous, started);
        failpoints.Reach(FailpointNames.StrictBeforeCommit);
        await CommitHeldTransactionAsync(plan, open, label, previous);

        var record = plan.Record with { StoreVersions = plan.Record.StoreVersions with { Redis = plan.Record.Version, Faiss = plan.Record.Version } };
        _stored = new StoredMemory(record, label, plan.Embedding, plan.Hlc);
        failpoints.Reach(FailpointNames.StrictAfterCommit);
        await _completions.RecordAsync(new SyncCompletion(MemoryId, record.Version, plan.TransactionId, record.StoreVersions,
            [StoreNames.Redis, StoreNames.Faiss], Stopwatch.GetElapsedTime(started).TotalMilliseconds, null));
        return record;
    }

    // The commit step, as the caller hears of a PostgreSQL that surely did not take the write: nothing is written anywhere.
    private async Task<T> CommitOrRefuseAsync<T>(Func<Task<T>> commit, MemoryCommit plan)
    {
        try
        {
            return await commit();
        }
        catch (StoreUnavailableException unavailable)
        {
            throw new StoreUnavailableException(
                $"PostgreSQL did not take version {plan.Record.Version} of memory {MemoryId} ({unavailable.Message}); nothing was written");
        }
    }

    // What the commit step answered, as the label of the version PostgreSQL now holds; anything else ends the write.
    private async Task<long> CommittedLabelAsync(MemoryCommit plan, CommitOutcome outcome, bool replayMayHaveCommitted)
    {
        switch (outcome.Status)
        {
            case CommitStatus.Committed:
                return outcome.Label;
            case CommitStatus.OutcomeUnknown:
                // The commit may or may not have happened (a lost reply): the next call reads PostgreSQL again first.
                _stored = null;
                _reloadBeforeNextWrite = true;
                throw new StoreUnavailableException(
                    $"PostgreSQL did not confirm version {plan.Record.Version} of memory {MemoryId} ({outcome.Reason}); nothing was written to Redis or FAISS");
        }

        if (!replayMayHaveCommitted)
        {
            _reloadBeforeNextWrite = true;
            throw new MemoryConflictException(MemoryId, plan.PreviousVersion, 0);
        }

        var actual = await LoadClaimedAsync();
        if (actual is not null && actual.Record.Version == plan.Record.Version && actual.Record.Checksum == plan.Record.Checksum)
        {
            // A replay of a commit that did happen (group commit ran it again on a fresh connection): go on with the
            // stores that may have missed it.
            return actual.Label;
        }

        // Another activation of this memory wrote first or claimed it (possible only around a silo failure): start over
        // from what PostgreSQL holds, and let the caller retry on top of it (or on the newer activation).
        _stored = actual;
        throw new MemoryConflictException(MemoryId, plan.PreviousVersion, actual?.Record.Version ?? 0);
    }

    // The strict apply step: FAISS, then Redis. If either fails, the stores already touched get their previous record
    // back, the transaction rolls back, its row says rolled_back, and the caller hears which store failed.
    private async Task ApplyAllOrRollBackAsync(MemoryCommit plan, IOpenCommit open, long label, StoredMemory? previous, long started)
    {
        var touched = new List<string>(2);
        try
        {
            touched.Add(StoreNames.Faiss);
            await Secondaries.WriteFaissAsync(plan.Record, label, plan.Embedding);
            touched.Add(StoreNames.Redis);
            await Secondaries.WriteRedisAsync(plan.Record);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var error = $"{touched[^1]}: {exception.Message}";
            await Secondaries.RestoreAsync(touched, plan.Record, label, previous);
            await open.DisposeAsync();
            var rollback = JsonSerializer.Serialize(new { previous = previous?.Record, restored = touched }, MemorySyncJson.Options);
            try
            {
                await episodic.RecordRolledBackAsync(plan, error, rollback, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (StoreUnavailableException unrecorded)
            {
                // Every store is back where it was; only the audit row of the rollback is missing.
                MemoryLog.RollbackNotRecorded(logger, unrecorded, MemoryId, plan.Record.Version);
            }

            throw new StrictSyncException(
                $"strict write of memory {MemoryId} version {plan.Record.Version} failed in {error}; every store is back at version {previous?.Record.Version ?? 0}");
        }
    }

    // The strict write's own commit. If its reply was lost, PostgreSQL is asked: FAISS and Redis keep the write if it holds
    // it, and get their previous record back otherwise.
    private async Task CommitHeldTransactionAsync(MemoryCommit plan, IOpenCommit open, long label, StoredMemory? previous)
    {
        var outcome = await open.CommitAsync();
        if (outcome.Status == CommitStatus.Committed)
        {
            return;
        }

        _reloadBeforeNextWrite = true;
        var actual = await TryLoadAsync();
        if (actual is null || actual.Record.Version != plan.Record.Version || actual.Record.Checksum != plan.Record.Checksum)
        {
            await Secondaries.RestoreAsync([StoreNames.Faiss, StoreNames.Redis], plan.Record, label, previous);
            throw new StrictSyncException(
                $"strict write of memory {MemoryId} version {plan.Record.Version} failed at PostgreSQL's commit ({outcome.Reason}); FAISS and Redis were put back");
        }
    }

    private async Task<StoredMemory?> TryLoadAsync()
    {
        try
        {
            var actual = await LoadClaimedAsync();
            _stored = actual;
            _reloadBeforeNextWrite = false;
            return actual;
        }
        catch (StoreUnavailableException)
        {
            return null;
        }
    }

    // The eventual apply and complete steps, also a catch-up's (ReplicateAsync): applies the current version to the stores
    // that are behind, then records in one statement which stores hold it (their outbox rows done, store_versions, the
    // sync transaction closed). Returns the stores holding the version.
    private async Task<(List<string> InSync, string? Error)> CatchUpAsync(Guid? transactionId, long started, bool redisBehind, bool faissBehind)
    {
        var stored = _stored!;
        var (inSync, error) = await Secondaries.ApplyAsync(stored, redisBehind, faissBehind);
        var versions = MarkHeld(stored, inSync);
        failpoints.Reach(FailpointNames.BeforeCompletion);
        await _completions.RecordAsync(new SyncCompletion(MemoryId, stored.Record.Version, transactionId, versions, inSync,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, error));
        return (inSync, error);
    }

    // The stores that now hold the current version say so in its store versions, here and in the grain's copy.
    private StoreVersions MarkHeld(StoredMemory stored, IReadOnlyCollection<string> stores)
    {
        var versions = MemoryVersions.HeldBy(stored.Record, stores);
        _stored = stored with { Record = stored.Record with { StoreVersions = versions } };
        return versions;
    }
}
