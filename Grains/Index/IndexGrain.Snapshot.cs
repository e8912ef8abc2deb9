using System.Diagnostics;

namespace MemorySync.Index;

/// <summary>
/// The shard's persistence: a snapshot (FAISS index, label map, the outbox position it holds, the activation's epoch)
/// in PostgreSQL, saved when enough changed or enough time passed; on activation, <see cref="ShardLoader"/> restores it
/// (or rebuilds from PostgreSQL).
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
        Task.FromResult(new IndexShardInfo(Shard, _shard.VectorCount, _loadedFrom, _snapshotTakenAt, _replayed, _changesSinceSnapshot, _reindex?.Progress,
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
        _indexType = ShardIndexType.Read(faiss);
        _trainAt = faiss.TrainAfterVectors;
        // The claim first: a save of an earlier activation that is still under way either lands before it (and is
        // what the load below reads) or is refused.
        _epoch = await snapshots.ClaimEpochAsync(Shard, cancellationToken);
        var loader = new ShardLoader(Shard, memoryOptions.Value.IndexShards, indexSource, snapshots, _indexType, faiss, outboxOptions.Value, logger);
        var loaded = await loader.LoadAsync(cancellationToken);
        _shard = loaded.Index;
        _indexFactory = loaded.Factory;
        _loadedFrom = loaded.LoadedFrom;
        _held.LoadedThrough(loaded.Through);
        _replayed = loaded.Replayed;
        _changesSinceSnapshot = loaded.ChangesSinceSnapshot;
        _snapshotTakenAt = loaded.SnapshotTakenAt;
        if (loaded.SnapshotAge is { } age)
        {
            // The periodic save counts the snapshot's age from when it was taken, not from this activation.
            _lastSnapshotAt = Stopwatch.GetTimestamp() - (long)(age.TotalSeconds * Stopwatch.Frequency);
        }
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
