using MemorySync.Configuration;
using MemorySync.Consistency;
using MemorySync.Diagnostics;
using MemorySync.Embeddings;
using MemorySync.Faiss;
using MemorySync.Memories;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MemorySync.Index;

/// <summary>
/// One FAISS shard. Reentrant, so that changes from many MemoryGrains queue up while a flush waits, and one flush
/// applies them together: one remove call and one add call per batch. Every turn runs on the grain's scheduler, so
/// the queue and the label map need no locks.
/// </summary>
[Reentrant]
internal sealed partial class IndexGrain(
    IEpisodicStore episodicStore,
    IndexSnapshotStore snapshots,
    IEmbeddingGenerator embedder,
    IGrainFactory grains,
    IOptions<FaissOptions> faissOptions,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<OutboxOptions> outboxOptions,
    MemorySyncMetrics metrics,
    ILogger<IndexGrain> logger) : Grain, IIndexGrain, IIncomingGrainCallFilter
{
    private Dictionary<long, IndexedLabel> _labels = [];

    // Removed labels and the version that removed them, so a late replay of an older upsert cannot bring one back.
    private readonly Dictionary<long, long> _removedAt = [];
    private List<PendingIndexChange> _pending = [];
    private Task? _scheduledFlush;
    private FaissIndex _index = null!;

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
            _index.Dispose();
        }
    }

    public Task UpsertAsync(IndexEntry entry)
    {
        if (entry.Vector.Length != _index.Dimension)
        {
            throw new MemoryValidationException("embedding", $"has {entry.Vector.Length} values; the index dimension is {_index.Dimension}");
        }

        return Enqueue(new PendingIndexChange(entry.Label, entry.Version, entry));
    }

    public Task RemoveAsync(long label, long version) => Enqueue(new PendingIndexChange(label, version, entry: null));

    public async Task RestoreAsync(long label, long failedVersion, IndexEntry? previous)
    {
        // Apply what is queued first, so the failed version is in place (or not) before it is judged.
        await FlushNowAsync();
        if (KnownVersion(label) != failedVersion)
        {
            return;
        }

        if (_labels.Remove(label))
        {
            _index.Remove([label]);
        }

        MarkChanged(1);

        _changesDuringReindex?.Add((label, previous?.Version ?? 0, previous));
        if (previous is not null)
        {
            AddAll([previous]);
        }
        else
        {
            _removedAt.Remove(label);
        }
    }

    public Task<IReadOnlyList<IndexMatch>> SearchAsync(float[] query, int k, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes)
    {
        if (k is < 1 or > Search.SearchGrain.MaxK)
        {
            throw new MemoryValidationException("k", $"{k} is not in 1..{Search.SearchGrain.MaxK}");
        }

        MemoryValidator.RequireEmbedding("embedding", query, _index.Dimension);
        var count = _labels.Count;
        if (count == 0)
        {
            return Task.FromResult<IReadOnlyList<IndexMatch>>([]);
        }

        var filtered = agentIds is not null || memoryTypes is { Count: > 0 };
        // With filters, ask FAISS for more than k and widen until k matches pass, the whole shard was seen, or the
        // widening reached its bound (Memory:MaxFilteredSearchCandidates): a rare filter must not make each search
        // read a large shard whole.
        var widest = filtered ? Math.Min(count, memoryOptions.Value.MaxFilteredSearchCandidates) : count;
        var fetch = Math.Min(widest, filtered ? Math.Max(k * 4, 64) : k);
        while (true)
        {
            var result = _index.Search(query, fetch);
            var matches = new List<IndexMatch>(k);
            var labels = result.LabelsOf(0);
            var scores = result.DistancesOf(0);
            for (var i = 0; i < labels.Length && matches.Count < k; i++)
            {
                if (labels[i] >= 0 && _labels.TryGetValue(labels[i], out var indexed) && Passes(indexed, agentIds, memoryTypes))
                {
                    matches.Add(new IndexMatch(indexed.MemoryId, labels[i], scores[i]));
                }
            }

            if (matches.Count >= k || fetch >= widest)
            {
                return Task.FromResult<IReadOnlyList<IndexMatch>>(matches);
            }

            fetch = Math.Min(widest, fetch * 4);
        }
    }

    public Task<IndexEntryProbe> ProbeAsync(long label)
    {
        var vector = _index.Reconstruct(label);
        var version = _labels.TryGetValue(label, out var indexed) ? indexed.Version : 0;
        if (vector is null)
        {
            return Task.FromResult(new IndexEntryProbe(0, null, version));
        }

        // A duplicate would be the same vector under the same label: it would come back among the nearest hits.
        var result = _index.Search(vector, (int)Math.Min(_index.Count, 16));
        var occurrences = 0;
        foreach (var found in result.LabelsOf(0))
        {
            occurrences += found == label ? 1 : 0;
        }

        return Task.FromResult(new IndexEntryProbe(occurrences, vector, version));
    }

    public Task<long> CountAsync() => Task.FromResult(_index.Count);

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
        if (_pending.Count == 0 || _serializing is { IsCompleted: false })
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

    // The last change per label wins; a change older than what the shard already holds is a replay and is skipped.
    private void Apply(List<PendingIndexChange> batch)
    {
        var latest = new Dictionary<long, PendingIndexChange>();
        foreach (var change in batch)
        {
            // Strictly newer only: an equal version may be a number reused after a strict rollback, and re-adding the
            // same vector is harmless.
            if (KnownVersion(change.Label) > change.Version)
            {
                continue;
            }

            if (!latest.TryGetValue(change.Label, out var previous) || previous.Version <= change.Version)
            {
                latest[change.Label] = change;
            }
        }

        var toRemove = latest.Keys.Where(_labels.ContainsKey).ToArray();
        if (toRemove.Length > 0)
        {
            _index.Remove(toRemove);
            foreach (var label in toRemove)
            {
                _labels.Remove(label);
            }
        }

        foreach (var removal in latest.Values.Where(change => change.Entry is null))
        {
            _removedAt[removal.Label] = removal.Version;
        }

        foreach (var change in latest.Values)
        {
            _held.Applied(change.Label, change.Version);
        }

        AddAll(latest.Values.Where(change => change.Entry is not null).Select(change => change.Entry!).ToList());
        MarkChanged(latest.Count);
        _changesDuringReindex?.AddRange(latest.Values.Select(change => (change.Label, change.Version, change.Entry)));
    }

    private long KnownVersion(long label) =>
        _labels.TryGetValue(label, out var indexed) ? indexed.Version : _removedAt.GetValueOrDefault(label);

    private void AddAll(List<IndexEntry> entries) => AddAll(_index, _labels, entries);

    private void AddAll(FaissIndex index, Dictionary<long, IndexedLabel> labelMap, List<IndexEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var dimension = index.Dimension;
        var vectors = new float[entries.Count * dimension];
        var labels = new long[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Vector.CopyTo(vectors, i * dimension);
            labels[i] = entries[i].Label;
        }

        index.Add(vectors, labels);
        foreach (var entry in entries)
        {
            labelMap[entry.Label] = new IndexedLabel(entry.MemoryId, entry.AgentId, entry.MemoryType, entry.Version,
                SweepHash.RangeOf(entry.MemoryId), SweepHash.FaissToken(entry.MemoryId, entry.Version, entry.Label));
            if (labelMap == _labels)
            {
                _removedAt.Remove(entry.Label);
            }
        }
    }

    private static bool Passes(IndexedLabel indexed, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes) =>
        (agentIds is null || agentIds.Contains(indexed.AgentId)) &&
        (memoryTypes is not { Count: > 0 } || memoryTypes.Contains(indexed.MemoryType));
}
