using MemorySync.Embeddings;
using MemorySync.Model;
using MemorySync.Stores;

namespace MemorySync.Index;

/// <summary>
/// One reindex of a shard: a full rebuild from PostgreSQL into a shadow index while the live one keeps serving.
/// Memories whose vector came from another embedding model (or all, when asked) are embedded again with the current
/// model on the way, and PostgreSQL takes the new vector through the memory's grain. The changes the live index takes
/// meanwhile are recorded here and replayed onto the shadow before it replaces the live one. Called from the shard's
/// grain only, on its scheduler.
/// </summary>
internal sealed class ShardReindex(
    int shard,
    int shardCount,
    bool reembedAll,
    ShardIndexType indexType,
    int dimension,
    IIndexSource indexSource,
    IndexSnapshotStore snapshots,
    IEmbeddingGenerator embedder,
    IGrainFactory grains)
{
    private const int BatchSize = 256;
    private const int CatchUpChunk = 1000;

    // Null once the shadow has caught up (or the run failed): from then on the live index's changes are its own.
    private List<(long Label, long Version, IndexEntry? Entry)>? _changes = [];
    private HashSet<string>? _repaired = new(StringComparer.Ordinal);

    /// <summary>The factory the shadow is built with: a type that needs training starts as Flat, and trains after the swap.</summary>
    public string Factory { get; } = indexType.StartingFactory;

    public ShardIndex Shadow { get; } = new(indexType.Create(indexType.StartingFactory));

    public ReindexProgress Progress { get; private set; } =
        new(shard, Running: true, Scanned: 0, Indexed: 0, Reembedded: 0, DateTimeOffset.UtcNow, FinishedAt: null, Error: null);

    /// <summary>While true, the live index's changes are recorded for the shadow (and a training waits for the swap).</summary>
    public bool RecordsChanges => _changes is not null;

    /// <summary>A change the live index applied: the shadow takes it too, unless it already holds something newer.</summary>
    public void RecordChange(long label, long version, IndexEntry? entry) => _changes?.Add((label, version, entry));

    /// <summary>A memory a sweep repaired in the live index: the shadow reads it again from PostgreSQL.</summary>
    public void RecordRepair(string memoryId) => _repaired?.Add(memoryId);

    /// <summary>Streams the shard's live memories from PostgreSQL into the shadow; returns how many were embedded again.</summary>
    public async Task<int> BuildAsync()
    {
        var reembedded = 0;
        var batch = new List<ReindexRow>(BatchSize);
        await foreach (var row in indexSource.ReadReindexRowsAsync())
        {
            Progress = Progress with { Scanned = Progress.Scanned + 1 };
            if (IndexShards.ShardOf(row.MemoryId, shardCount) != shard)
            {
                continue;
            }

            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                reembedded += await AddAsync(batch);
                batch.Clear();
            }
        }

        reembedded += await AddAsync(batch);
        return reembedded;
    }

    /// <summary>
    /// Replays onto the shadow what the live index took while it was built, and reads the repaired memories again;
    /// from then on nothing more is recorded. Called with the live index's queue flushed, right before the swap.
    /// </summary>
    public async Task CatchUpAsync()
    {
        foreach (var (label, version, entry) in _changes!)
        {
            if (Shadow.KnownVersion(label) <= version)
            {
                Shadow.ReplaceLabel(label, entry);
            }
        }

        _changes = null;
        foreach (var chunk in _repaired!.Chunk(CatchUpChunk))
        {
            await foreach (var (memoryId, label, entry) in snapshots.CurrentEntriesAsync(chunk, dimension))
            {
                Shadow.ReplaceMemory(memoryId, label, entry);
            }
        }

        _repaired = null;
    }

    public void Succeeded() => Progress = Progress with { Running = false, Indexed = Shadow.Labels.Count, FinishedAt = DateTimeOffset.UtcNow };

    public void Failed(Exception exception)
    {
        _changes = null;
        _repaired = null;
        Progress = Progress with { Running = false, FinishedAt = DateTimeOffset.UtcNow, Error = exception.Message };
    }

    private async Task<int> AddAsync(List<ReindexRow> rows)
    {
        var stale = rows.Where(row => reembedAll || NeedsEmbedding(row)).ToList();
        var vectors = stale.Count == 0
            ? []
            : await Task.Run(() => embedder.Embed([.. stale.Select(row => row.Content)]));
        var replaced = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < stale.Count; i++)
        {
            // Through the memory's grain, so PostgreSQL and the grain's own copy take the vector together; a memory
            // written meanwhile says no (its new version brought a vector of the current model itself).
            if (await grains.GetGrain<IMemoryGrain>(stale[i].MemoryId).AdoptEmbeddingAsync(stale[i].Version, vectors[i], embedder.ModelId))
            {
                replaced[stale[i].MemoryId] = vectors[i];
            }
        }

        var entries = new List<IndexEntry>(rows.Count);
        foreach (var row in rows)
        {
            var vector = replaced.GetValueOrDefault(row.MemoryId) ?? row.Embedding;
            if (vector is not null && vector.Length == dimension)
            {
                entries.Add(new IndexEntry(row.Label, row.MemoryId, row.AgentId, row.MemoryType, row.Version, vector));
            }
        }

        Shadow.Add(entries);
        Progress = Progress with { Indexed = Shadow.Labels.Count, Reembedded = Progress.Reembedded + replaced.Count };
        return replaced.Count;
    }

    // No usable vector, or one from a model other than the silo's (text queries are embedded with the silo's model).
    // A vector the writer supplied without naming its model is the writer's choice and stays.
    private bool NeedsEmbedding(ReindexRow row) =>
        row.Embedding is null || row.Embedding.Length != dimension ||
        (row.EmbeddingModel != EmbeddingProvenance.Caller && row.EmbeddingModel != embedder.ModelId);
}
