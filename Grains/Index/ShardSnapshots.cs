using System.Diagnostics;
using MemorySync.Configuration;
using MemorySync.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MemorySync.Index;

/// <summary>
/// A shard's persistence: a snapshot (FAISS index, label map, the outbox position it holds, the activation's epoch) in
/// PostgreSQL, saved when enough changed or enough time passed, one at a time. It counts the changes since the last
/// one and holds the outbox position the next one may claim; on activation, <see cref="ShardLoader"/> restores it.
/// <paramref name="capture"/> applies what the grain has queued and answers the index as it stands (a training or a
/// reindex may have swapped it); <paramref name="flush"/> applies what queued while a snapshot serialized it.
/// </summary>
internal sealed class ShardSnapshots(
    int shard,
    IndexSnapshotStore store,
    FaissOptions faiss,
    OutboxOptions outbox,
    MemorySyncMetrics metrics,
    ILogger logger,
    Func<Task<(ShardIndex Index, string Factory)>> capture,
    Action flush)
{
    private readonly HeldOutboxPosition _held = new();
    private long _lastSnapshotAt = Stopwatch.GetTimestamp();
    private Task? _run;

    // Set while a snapshot serializes the index off the grain's thread; the grain's flushes wait for it.
    private Task<byte[]>? _serializing;

    /// <summary>This activation's claim on the shard: its saves are refused once a later activation claimed it.</summary>
    public long Epoch { get; private set; }

    public long ChangesSinceSnapshot { get; private set; }

    public DateTimeOffset? TakenAt { get; private set; }

    /// <summary>The outbox position the next snapshot may claim.</summary>
    public long HeldPosition => _held.Position;

    public bool IsSerializing => _serializing is { IsCompleted: false };

    /// <summary>Claims the shard for this activation, before it loads: an earlier activation's save still under way lands before the load reads it, or is refused.</summary>
    public async Task ClaimAsync(CancellationToken cancellationToken) => Epoch = await store.ClaimEpochAsync(shard, cancellationToken);

    public void Loaded(LoadedShard loaded)
    {
        _held.LoadedThrough(loaded.Through);
        ChangesSinceSnapshot = loaded.ChangesSinceSnapshot;
        TakenAt = loaded.SnapshotTakenAt;
        if (loaded.SnapshotAge is { } age)
        {
            // The periodic save counts the snapshot's age from when it was taken, not from this activation.
            _lastSnapshotAt = Stopwatch.GetTimestamp() - (long)(age.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>A memory's version the index now holds, towards the outbox position the next snapshot claims.</summary>
    public void Applied(long label, long version) => _held.Applied(label, version);

    public void MarkChanged(long changes) => ChangesSinceSnapshot += changes;

    /// <summary>Waits while a snapshot serializes the index (the grain holds its flushes until then).</summary>
    public async Task SerializedAsync()
    {
        // Only while it runs: once complete, the snapshot's own continuation clears it, maybe after this one runs.
        while (_serializing is { IsCompleted: false } serializing)
        {
            await ((Task)serializing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    public bool IsDue()
    {
        var age = Stopwatch.GetElapsedTime(_lastSnapshotAt);
        // Unchanged, a shard saves again anyway before its snapshot ages past what the outbox can replay.
        return ChangesSinceSnapshot >= faiss.SnapshotAfterChanges ||
            (ChangesSinceSnapshot > 0 && age >= faiss.SnapshotInterval) ||
            (TakenAt is not null && SnapshotFreshness.IsRefreshDue(age, outbox.RetainCompleted));
    }

    /// <summary>Takes a snapshot unless one is running, which serves this request.</summary>
    public Task TakeAsync(CancellationToken cancellationToken)
    {
        if (_run is { IsCompleted: false })
        {
            return Task.CompletedTask;
        }

        _run = TakeOnceAsync(cancellationToken);
        return _run;
    }

    /// <summary>A snapshot that holds every change made before the call: one already running may have started before some of them.</summary>
    public async Task TakeFreshAsync()
    {
        while (_run is { IsCompleted: false } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await TakeAsync(CancellationToken.None);
    }

    private async Task TakeOnceAsync(CancellationToken cancellationToken)
    {
        // The position and the time first, from what this index applied: the capture below holds at least that much.
        var applied = _held.TakeUnresolved();
        DateTimeOffset takenAt;
        try
        {
            (var highest, takenAt) = await store.ResolvePositionAsync(applied, cancellationToken);
            _held.Resolved(highest);
        }
        catch
        {
            _held.NotResolved(applied);
            throw;
        }

        var position = _held.Position;
        var (index, factory) = await capture();
        var changes = ChangesSinceSnapshot;
        // The label map now, on the grain's thread; the index (the long part) on the thread pool, with flushes
        // held until it is done, so both describe the same moment while searches go on.
        var labelMap = LabelMapCodec.Write(index.Labels);
        var count = index.VectorCount;
        var faissIndex = index.Faiss;
        byte[] data;
        _serializing = Task.Run(faissIndex.Serialize);
        try
        {
            data = await _serializing;
        }
        finally
        {
            _serializing = null;
            flush();
        }

        var snapshot = new IndexSnapshot(shard, factory, faiss.Metric.ToString(), faiss.Dimension, count, Epoch, position, takenAt, data, labelMap);
        var saved = await store.SaveAsync(snapshot, cancellationToken);
        // Refused, a newer snapshot stands: of this activation (a save that overtook this one), or of a later
        // activation, which makes this one stale. Trying again with the same state would be refused again.
        ChangesSinceSnapshot -= changes;
        _lastSnapshotAt = Stopwatch.GetTimestamp();
        if (!saved)
        {
            metrics.RecordIndexSnapshotRefused();
            IndexLog.SnapshotRefused(logger, shard, Epoch, position);
            return;
        }

        TakenAt = takenAt;
        IndexLog.SnapshotTaken(logger, shard, snapshot.VectorCount, snapshot.IndexData.Length + snapshot.LabelMap.Length, Epoch, position);
    }
}
