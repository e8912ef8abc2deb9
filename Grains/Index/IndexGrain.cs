using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Embeddings;
using MemorySync.Model;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MemorySync.Index;

/// <summary>
/// One FAISS shard: lifecycle, timers and the queue of changes; the index itself is <see cref="ShardIndex"/>, its
/// persistence <see cref="ShardSnapshots"/> (restored by <see cref="ShardLoader"/>). Reentrant, so that changes from many MemoryGrains queue up while a flush waits, and one flush
/// applies them together: one remove call and one add call per batch. Every turn runs on the grain's scheduler, so
/// the queue and the label map need no locks.
/// </summary>
[Reentrant]
internal sealed partial class IndexGrain(
    IIndexSource indexSource,
    IndexSnapshotStore snapshots,
    IEmbeddingGenerator embedder,
    IGrainFactory grains,
    IOptions<FaissOptions> faissOptions,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<OutboxOptions> outboxOptions,
    MemorySyncMetrics metrics,
    ILogger<IndexGrain> logger) : Grain, IIndexGrain, IIncomingGrainCallFilter
{
    private ShardIndex _shard = null!;
    private ShardSnapshots _shardSnapshots = null!;
    private List<PendingIndexChange> _pending = [];
    private Task? _scheduledFlush;
    private string _loadedFrom = "rebuild";
    private int _replayed;

    private int Shard => (int)this.GetPrimaryKeyLong();

    // A shard number outside the configured ones holds nothing: its activation must not restore or rebuild (a scan of
    // every memory in PostgreSQL), and every call to it is refused.
    // The long key itself, not Shard: a key of 2^32 would pass as shard 0.
    private bool IsConfiguredShard => this.GetPrimaryKeyLong() >= 0 && this.GetPrimaryKeyLong() < memoryOptions.Value.IndexShards;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!IsConfiguredShard)
        {
            return;
        }

        await RestoreOrRebuildAsync(cancellationToken);
        // A shard costs a restore or a rebuild to activate and serves every search: it stays while its silo runs,
        // however idle, instead of being collected with idle grains (a silo's shutdown still deactivates it).
        DelayDeactivation(TimeSpan.MaxValue);
        TrainWhenDue();
        var period = faissOptions.Value.SnapshotInterval;
        var check = period < TimeSpan.FromSeconds(30) ? period : TimeSpan.FromSeconds(30);
        this.RegisterGrainTimer(SnapshotIfDueAsync, new GrainTimerCreationOptions(check, check) { Interleave = true });
    }

    public Task Invoke(IIncomingGrainCallContext context) => IsConfiguredShard
        ? context.Invoke()
        : Task.FromException(new MemoryValidationException("shard",
            $"{this.GetPrimaryKeyLong()} is not an index shard of this deployment: shards are 0..{memoryOptions.Value.IndexShards - 1} (Memory:IndexShards)"));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!IsConfiguredShard)
        {
            return;
        }

        try
        {
            // A graceful stop keeps the latest state, so the next activation replays little.
            await SnapshotIfChangedAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            IndexLog.SnapshotFailed(logger, exception, Shard);
        }
        finally
        {
            _shard.Dispose();
        }
    }

    public Task UpsertAsync(IndexEntry entry)
    {
        if (entry.Vector.Length != _shard.Dimension)
        {
            throw new MemoryValidationException("embedding", $"has {entry.Vector.Length} values; the index dimension is {_shard.Dimension}");
        }

        return Enqueue(new PendingIndexChange(entry.Label, entry.Version, entry));
    }

    public Task RemoveAsync(long label, long version) => Enqueue(new PendingIndexChange(label, version, entry: null));

    public async Task RestoreAsync(long label, long failedVersion, IndexEntry? previous)
    {
        // Apply what is queued first, so the failed version is in place (or not) before it is judged.
        await FlushNowAsync();
        if (_shard.RollBack(label, failedVersion, previous))
        {
            _shardSnapshots.MarkChanged(1);
            _reindex?.RecordChange(label, previous?.Version ?? 0, previous);
        }
    }

    public Task<IReadOnlyList<IndexMatch>> SearchAsync(float[] query, int k, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes)
    {
        if (k is < 1 or > SearchLimits.MaxK)
        {
            throw new MemoryValidationException("k", $"{k} is not in 1..{SearchLimits.MaxK}");
        }

        EmbeddingVector.Require("embedding", query, _shard.Dimension);
        return Task.FromResult(_shard.Search(query, k, agentIds, memoryTypes, memoryOptions.Value.MaxFilteredSearchCandidates));
    }

    public Task<IndexEntryProbe> ProbeAsync(long label) => Task.FromResult(_shard.Probe(label));

    public Task<long> CountAsync() => Task.FromResult(_shard.VectorCount);

    public Task<IndexShardInfo> GetInfoAsync() =>
        Task.FromResult(new IndexShardInfo(Shard, _shard.VectorCount, _loadedFrom, _shardSnapshots.TakenAt, _replayed,
            _shardSnapshots.ChangesSinceSnapshot, _reindex?.Progress, _indexFactory, faissOptions.Value.Factory, Training,
            Trained ? faissOptions.Value.EffectiveSearchParameters : null, _shardSnapshots.Epoch, _shardSnapshots.HeldPosition));

    // Asked for, a snapshot holds every change made before the call.
    public Task SnapshotAsync() => _shardSnapshots.TakeFreshAsync();

    private Task Enqueue(PendingIndexChange change)
    {
        _pending.Add(change);
        if (_pending.Count >= memoryOptions.Value.IndexFlushBatchSize)
        {
            Flush();
        }
        else
        {
            _scheduledFlush ??= FlushSoonAsync();
        }

        return change.Applied;
    }

    private async Task FlushSoonAsync()
    {
        var delay = memoryOptions.Value.IndexFlushDelayMilliseconds;
        if (delay > 0)
        {
            await Task.Delay(delay);
        }
        else
        {
            await Task.Yield();
        }

        _scheduledFlush = null;
        Flush();
    }

    private void Flush()
    {
        // While a snapshot serializes the index, changes wait in the queue (searches go on); it flushes them after.
        if (_pending.Count == 0 || _shardSnapshots.IsSerializing)
        {
            return;
        }

        var batch = _pending;
        _pending = [];
        try
        {
            Apply(batch);
            batch.ForEach(change => change.Complete());
        }
        catch (Exception exception)
        {
            // Whatever failed, every waiting caller hears of it rather than hanging until Orleans' timeout.
            IndexLog.FlushFailed(logger, exception, batch.Count);
            batch.ForEach(change => change.Fail(exception));
        }

        TrainWhenDue();
    }

    // Besides the index itself: the outbox position the next snapshot may claim, the count towards it, and a running
    // reindex's record of what its shadow has to catch up with.
    private void Apply(List<PendingIndexChange> batch)
    {
        var applied = _shard.Apply(batch);
        foreach (var change in applied)
        {
            _shardSnapshots.Applied(change.Label, change.Version);
            _reindex?.RecordChange(change.Label, change.Version, change.Entry);
        }

        _shardSnapshots.MarkChanged(applied.Count);
    }

    private async Task RestoreOrRebuildAsync(CancellationToken cancellationToken)
    {
        var faiss = faissOptions.Value;
        _indexType = ShardIndexType.Read(faiss);
        _trainAt = faiss.TrainAfterVectors;
        _shardSnapshots = new ShardSnapshots(Shard, snapshots, faiss, outboxOptions.Value, metrics, logger, CaptureAsync, Flush);
        await _shardSnapshots.ClaimAsync(cancellationToken);
        var loader = new ShardLoader(Shard, memoryOptions.Value.IndexShards, indexSource, snapshots, _indexType, faiss, outboxOptions.Value, logger);
        var loaded = await loader.LoadAsync(cancellationToken);
        _shard = loaded.Index;
        _indexFactory = loaded.Factory;
        _loadedFrom = loaded.LoadedFrom;
        _replayed = loaded.Replayed;
        _shardSnapshots.Loaded(loaded);
    }

    // Applies what is queued, after any snapshot serialization in progress.
    private async Task FlushNowAsync()
    {
        await _shardSnapshots.SerializedAsync();
        Flush();
    }

    private Task SnapshotIfDueAsync(CancellationToken cancellationToken)
    {
        // A reindex or a training ends with a snapshot of its own.
        var busy = _reindexTask is { IsCompleted: false } || _trainingTask is { IsCompleted: false };
        return _shardSnapshots.IsDue() && !busy ? TakeSnapshotAsync(cancellationToken) : Task.CompletedTask;
    }

    private Task SnapshotIfChangedAsync(CancellationToken cancellationToken) =>
        _shardSnapshots.ChangesSinceSnapshot > 0 ? TakeSnapshotAsync(cancellationToken) : Task.CompletedTask;

    // One snapshot at a time: the timer, a training or a reindex asking while one runs is served by that one.
    private Task TakeSnapshotAsync(CancellationToken cancellationToken) => _shardSnapshots.TakeAsync(cancellationToken);

    // The index a snapshot saves, with everything queued applied; read after the flush, as a training or a reindex may
    // have swapped it meanwhile.
    private async Task<(ShardIndex Index, string Factory)> CaptureAsync()
    {
        await FlushNowAsync();
        return (_shard, _indexFactory);
    }
}
