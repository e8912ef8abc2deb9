using System.Diagnostics;
using MemorySync.Faiss;

namespace MemorySync.Index;

/// <summary>
/// The shard's persistence: a snapshot (FAISS index, label map, the outbox position it holds, the activation's epoch)
/// in PostgreSQL, restored on activation with the changes that came after it replayed from PostgreSQL; a full rebuild
/// from PostgreSQL when there is no usable snapshot, or only one too old to replay.
/// </summary>
internal sealed partial class IndexGrain
{
    private long _changesSinceSnapshot;
    private long _lastSnapshotAt = Stopwatch.GetTimestamp();
    private string _loadedFrom = "rebuild";
    private DateTimeOffset? _snapshotTakenAt;
    private int _replayed;
    private Task? _snapshotRun;

    // This activation's claim on the shard: its saves are refused once a later activation claimed it.
    private long _epoch;
    private readonly HeldOutboxPosition _held = new();

    // Set while a snapshot serializes the index off the grain's thread; flushes wait for it.
    private Task<byte[]>? _serializing;

    private int Shard => (int)this.GetPrimaryKeyLong();

    private void MarkChanged(long changes) => _changesSinceSnapshot += changes;

    public Task<IndexShardInfo> GetInfoAsync() =>
        Task.FromResult(new IndexShardInfo(Shard, _shard.VectorCount, _loadedFrom, _snapshotTakenAt, _replayed, _changesSinceSnapshot, _reindex,
            _indexFactory, faissOptions.Value.Factory, Training,
            Trained ? faissOptions.Value.SearchParameters : null, _epoch, _held.Position));

    // Asked for, a snapshot holds every change made before the call: one already running may have started before some
    // of them, so this one waits for it and takes its own.
    public async Task SnapshotAsync()
    {
        while (_snapshotRun is { IsCompleted: false } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await TakeSnapshotAsync(CancellationToken.None);
    }

    private async Task RestoreOrRebuildAsync(CancellationToken cancellationToken)
    {
        var faiss = faissOptions.Value;
        ReadIndexType();
        // The claim first: a save of an earlier activation that is still under way either lands before it (and is
        // what the load below reads) or is refused.
        _epoch = await snapshots.ClaimEpochAsync(Shard, cancellationToken);
        var snapshot = await LoadReplayableSnapshotAsync(cancellationToken);
        // A shard that had not trained yet snapshots its Flat staging index: that one is as good a start.
        var usableFactory = snapshot is not null && (snapshot.Factory == faiss.Factory || snapshot.Factory == StartingFactory);
        if (usableFactory && snapshot!.Metric == faiss.Metric.ToString() && snapshot.Dimension == faiss.Dimension)
        {
            try
            {
                await RestoreFromSnapshotAsync(snapshot, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is FaissException or InvalidDataException or EndOfStreamException)
            {
                // A damaged snapshot costs a rebuild, never the shard.
                IndexLog.SnapshotUnusable(logger, exception, Shard);
                _shard?.Dispose();
            }
        }

        // Into the starting index: when PostgreSQL holds enough vectors, training follows right after activation.
        // The outbox's end before the scan: every row up to it is in what the scan reads.
        _indexFactory = StartingFactory;
        _shard = new ShardIndex(CreateIndex(_indexFactory));
        var through = await snapshots.OutboxEndAsync(cancellationToken);
        await RebuildIntoAsync(_shard, cancellationToken);
        _held.LoadedThrough(through);
        _loadedFrom = "rebuild";
        _changesSinceSnapshot = _shard.Labels.Count;
        IndexLog.Loaded(logger, Shard, _shard.Labels.Count);
    }

    // The shard's snapshot, unless it is older than the outbox keeps completed rows: replaying it would miss changes.
    private async Task<IndexSnapshot?> LoadReplayableSnapshotAsync(CancellationToken cancellationToken)
    {
        var loaded = await snapshots.LoadAsync(Shard, cancellationToken);
        if (loaded is not var (snapshot, age))
        {
            return null;
        }

        var retain = outboxOptions.Value.RetainCompleted;
        if (!SnapshotFreshness.IsReplayable(age, retain))
        {
            IndexLog.SnapshotTooOld(logger, Shard, snapshot.TakenAt, retain);
            return null;
        }

        // The periodic save counts the snapshot's age from when it was taken, not from this activation.
        _lastSnapshotAt = Stopwatch.GetTimestamp() - (long)(age.TotalSeconds * Stopwatch.Frequency);
        return snapshot;
    }

    private async Task RestoreFromSnapshotAsync(IndexSnapshot snapshot, CancellationToken cancellationToken)
    {
        var faiss = FaissIndex.Deserialize(snapshot.IndexData);
        try
        {
            _shard = ShardIndex.Restore(faiss, LabelMapCodec.Read(snapshot.LabelMap));
        }
        catch
        {
            faiss.Dispose();
            throw;
        }

        _indexFactory = snapshot.Factory;
        if (Trained)
        {
            // The snapshot keeps the parameters it was taken with; the configured ones may have changed since.
            _shard.Faiss.SetParameters(_searchParameters);
        }

        var (changedIds, through) = await snapshots.ChangedSinceAsync(snapshot, cancellationToken);
        var changed = changedIds.Where(id => IndexShards.ShardOf(id, memoryOptions.Value.IndexShards) == Shard).ToList();
        _replayed = await ReplayAsync(changed, cancellationToken);
        // From the snapshot's own position: replayed, the memories of every row read are as PostgreSQL holds them.
        _held.LoadedThrough(through);
        _loadedFrom = "snapshot";
        _snapshotTakenAt = snapshot.TakenAt;
        _changesSinceSnapshot = _replayed;
        IndexLog.Restored(logger, Shard, _shard.Labels.Count, snapshot.TakenAt, _replayed);
    }

    // Brings the listed memories to what PostgreSQL holds now; returns how many changed the index.
    private async Task<int> ReplayAsync(IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var chunk in memoryIds.Chunk(1000))
        {
            var wanted = chunk.ToHashSet(StringComparer.Ordinal);
            var byMemory = _shard.LabelsOf(wanted);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var (memoryId, label, entry) in snapshots.CurrentEntriesAsync(chunk, faissOptions.Value.Dimension, cancellationToken))
            {
                seen.Add(memoryId);
                var held = byMemory[memoryId].ToList();
                var upToDate = entry is null ? held.Count == 0 : held.Count == 1 && held[0] == label && _shard.Labels[label].Version == entry.Version;
                if (!upToDate)
                {
                    _shard.ReplaceMemory(memoryId, label, entry, held);
                    replayed++;
                }
            }

            // Ids PostgreSQL no longer has at all: nothing of theirs may stay indexed.
            foreach (var missing in chunk.Where(id => !seen.Contains(id) && byMemory[id].Any()))
            {
                _shard.ReplaceMemory(missing, -1, null, [.. byMemory[missing]]);
                replayed++;
            }
        }

        return replayed;
    }

    private async Task RebuildIntoAsync(ShardIndex shard, CancellationToken cancellationToken)
    {
        var shardCount = memoryOptions.Value.IndexShards;
        var batch = new List<IndexEntry>(1024);
        await foreach (var entry in episodicStore.ReadIndexEntriesAsync(faissOptions.Value.Dimension, cancellationToken))
        {
            if (IndexShards.ShardOf(entry.MemoryId, shardCount) != Shard)
            {
                continue;
            }

            batch.Add(entry);
            if (batch.Count == batch.Capacity)
            {
                shard.Add(batch);
                batch.Clear();
            }
        }

        shard.Add(batch);
    }

    // Applies what is queued, after any snapshot serialization in progress.
    private async Task FlushNowAsync()
    {
        // Only while it runs: once complete, the snapshot's own continuation clears it, maybe after this one runs.
        while (_serializing is { IsCompleted: false } serializing)
        {
            await ((Task)serializing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        Flush();
    }

    private Task SnapshotIfDueAsync(CancellationToken cancellationToken)
    {
        var options = faissOptions.Value;
        var age = Stopwatch.GetElapsedTime(_lastSnapshotAt);
        // Unchanged, a shard saves again anyway before its snapshot ages past what the outbox can replay.
        var due = _changesSinceSnapshot >= options.SnapshotAfterChanges ||
            (_changesSinceSnapshot > 0 && age >= options.SnapshotInterval) ||
            (_snapshotTakenAt is not null && SnapshotFreshness.IsRefreshDue(age, outboxOptions.Value.RetainCompleted));
        // A reindex or a training ends with a snapshot of its own.
        var busy = _reindexTask is { IsCompleted: false } || _trainingTask is { IsCompleted: false };
        return due && !busy ? TakeSnapshotAsync(cancellationToken) : Task.CompletedTask;
    }

    private Task SnapshotIfChangedAsync(CancellationToken cancellationToken) =>
        _changesSinceSnapshot > 0 ? TakeSnapshotAsync(cancellationToken) : Task.CompletedTask;

    // One snapshot at a time: the timer, a training or a reindex asking while one runs is served by that one.
    private Task TakeSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshotRun is { IsCompleted: false })
        {
            return Task.CompletedTask;
        }

        _snapshotRun = SnapshotOnceAsync(cancellationToken);
        return _snapshotRun;
    }

    private async Task SnapshotOnceAsync(CancellationToken cancellationToken)
    {
        // The position and the time first, from what this index applied: the capture below holds at least that much.
        var applied = _held.TakeUnresolved();
        DateTimeOffset takenAt;
        try
        {
            (var highest, takenAt) = await snapshots.ResolvePositionAsync(applied, cancellationToken);
            _held.Resolved(highest);
        }
        catch
        {
            _held.NotResolved(applied);
            throw;
        }

        var position = _held.Position;
        await FlushNowAsync();
        var changes = _changesSinceSnapshot;
        var faiss = faissOptions.Value;
        // The label map now, on the grain's thread; the index (the long part) on the thread pool, with flushes
        // held until it is done, so both describe the same moment while searches go on.
        var labelMap = LabelMapCodec.Write(_shard.Labels);
        var count = _shard.VectorCount;
        var index = _shard.Faiss;
        var factory = _indexFactory;
        byte[] data;
        _serializing = Task.Run(index.Serialize);
        try
        {
            data = await _serializing;
        }
        finally
        {
            _serializing = null;
            Flush();
        }

        var snapshot = new IndexSnapshot(Shard, factory, faiss.Metric.ToString(), faiss.Dimension, count, _epoch, position, takenAt, data, labelMap);
        var saved = await snapshots.SaveAsync(snapshot, cancellationToken);
        // Refused, a newer snapshot stands: of this activation (a save that overtook this one), or of a later
        // activation, which makes this one stale. Trying again with the same state would be refused again.
        _changesSinceSnapshot -= changes;
        _lastSnapshotAt = Stopwatch.GetTimestamp();
        if (!saved)
        {
            metrics.RecordIndexSnapshotRefused();
            IndexLog.SnapshotRefused(logger, Shard, _epoch, position);
            return;
        }

        _snapshotTakenAt = takenAt;
        IndexLog.SnapshotTaken(logger, Shard, snapshot.VectorCount, snapshot.IndexData.Length + snapshot.LabelMap.Length, _epoch, position);
    }
}
