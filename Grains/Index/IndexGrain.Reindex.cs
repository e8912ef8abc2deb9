using System.Diagnostics;
using MemorySync.Stores;

namespace MemorySync.Index;

/// <summary>
/// A full rebuild from PostgreSQL into a shadow index, swapped in when complete; searches keep using the live index
/// throughout. Memories whose vector came from another embedding model (or all, when asked) are embedded again with the
/// current model on the way, and PostgreSQL takes the new vector through the memory's grain.
/// </summary>
internal sealed partial class IndexGrain
{
    private const int ReindexBatchSize = 256;

    private Task? _reindexTask;
    private ReindexProgress? _reindex;

    // Changes the live index took while the shadow was being built, replayed onto the shadow before the swap.
    private List<(long Label, long Version, IndexEntry? Entry)>? _changesDuringReindex;
    private HashSet<string>? _repairedDuringReindex;

    public Task<ReindexProgress> StartReindexAsync(bool reembedAll)
    {
        if (_reindexTask is not { IsCompleted: false })
        {
            _reindex = new ReindexProgress(Shard, Running: true, Scanned: 0, Indexed: 0, Reembedded: 0, DateTimeOffset.UtcNow, null, null);
            _changesDuringReindex = [];
            _repairedDuringReindex = new HashSet<string>(StringComparer.Ordinal);
            _reindexTask = ReindexAsync(reembedAll);
        }

        return Task.FromResult(_reindex!);
    }

    public Task<ReindexProgress?> GetReindexProgressAsync() => Task.FromResult(_reindex);

    private async Task ReindexAsync(bool reembedAll)
    {
        var started = Stopwatch.GetTimestamp();
        var faiss = faissOptions.Value;
        // A shadow of a type that needs training starts as Flat too; the shard trains again after the swap.
        var shadowFactory = StartingFactory;
        var shadow = new ShardIndex(CreateIndex(shadowFactory));
        try
        {
            var reembedded = await BuildShadowAsync(shadow, reembedAll);
            await FlushNowAsync();
            foreach (var (label, version, entry) in _changesDuringReindex!)
            {
                if (shadow.KnownVersion(label) <= version)
                {
                    shadow.ReplaceLabel(label, entry);
                }
            }

            _changesDuringReindex = null;
            foreach (var chunk in _repairedDuringReindex!.Chunk(1000))
            {
                await foreach (var (memoryId, label, entry) in snapshots.CurrentEntriesAsync(chunk, faiss.Dimension))
                {
                    shadow.ReplaceMemory(memoryId, label, entry);
                }
            }

            // The swap: one synchronous turn, so no search ever sees half of it.
            shadow.TakeRemovalsFrom(_shard);
            (_shard, shadow) = (shadow, _shard);
            _indexFactory = shadowFactory;
            _changesSinceSnapshot += _shard.Labels.Count;
            _reindex = _reindex! with { Running = false, Indexed = _shard.Labels.Count, FinishedAt = DateTimeOffset.UtcNow };
            IndexLog.Reindexed(logger, Shard, _shard.Labels.Count, reembedded, embedder.ModelId, Stopwatch.GetElapsedTime(started).TotalSeconds);
            TrainWhenDue();
            await TakeSnapshotAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            IndexLog.ReindexFailed(logger, exception, Shard);
            _reindex = _reindex! with { Running = false, FinishedAt = DateTimeOffset.UtcNow, Error = exception.Message };
        }
        finally
        {
            shadow.Dispose();
            _changesDuringReindex = null;
            _repairedDuringReindex = null;
        }
    }

    // Streams the shard's live memories from PostgreSQL into the shadow; returns how many were embedded again.
    private async Task<int> BuildShadowAsync(ShardIndex shadow, bool reembedAll)
    {
        var shardCount = memoryOptions.Value.IndexShards;
        var reembedded = 0;
        var batch = new List<ReindexRow>(ReindexBatchSize);
        await foreach (var row in episodicStore.ReadReindexRowsAsync())
        {
            _reindex = _reindex! with { Scanned = _reindex.Scanned + 1 };
            if (IndexShards.ShardOf(row.MemoryId, shardCount) != Shard)
            {
                continue;
            }

            batch.Add(row);
            if (batch.Count == ReindexBatchSize)
            {
                reembedded += await AddToShadowAsync(shadow, batch, reembedAll);
                batch.Clear();
            }
        }

        reembedded += await AddToShadowAsync(shadow, batch, reembedAll);
        return reembedded;
    }

    private async Task<int> AddToShadowAsync(ShardIndex shadow, List<ReindexRow> rows, bool reembedAll)
    {
        var dimension = faissOptions.Value.Dimension;
        var stale = rows.Where(row => reembedAll || NeedsEmbedding(row, dimension)).ToList();
        var vectors = stale.Count == 0
            ? []
            : await Task.Run(() => embedder.Embed(stale.Select(row => row.Content).ToList()));
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

        shadow.Add(entries);
        _reindex = _reindex! with { Indexed = shadow.Labels.Count, Reembedded = _reindex.Reembedded + replaced.Count };
        return replaced.Count;
    }

    // No usable vector, or one from a model other than the silo's (text queries are embedded with the silo's model).
    // A vector the writer supplied without naming its model is the writer's choice and stays.
    private bool NeedsEmbedding(ReindexRow row, int dimension) =>
        row.Embedding is null || row.Embedding.Length != dimension ||
        (row.EmbeddingModel != Memories.EmbeddingProvenance.Caller && row.EmbeddingModel != embedder.ModelId);
}
