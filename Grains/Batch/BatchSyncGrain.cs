using MemorySync.Configuration;
using MemorySync.Embeddings;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MemorySync.Batch;

/// <summary>
/// Writes many memories, each through its own MemoryGrain so per-memory ordering and versions hold. Speed comes from
/// doing many at once (PostgreSQL commits them concurrently, Redis pipelines them on one connection, the index shard
/// flushes them in one batch) and from embedding the contents that need it in batches here first.
/// </summary>
[StatelessWorker]
internal sealed class BatchSyncGrain(IEmbeddingGenerator embedder, IOptions<MemoryOptions> memoryOptions, IOptions<FaissOptions> faissOptions)
    : Grain, IBatchSyncGrain
{
    public async Task<BatchSyncResult> SyncBatchAsync(IReadOnlyList<MemoryWrite> memories)
    {
        ArgumentNullException.ThrowIfNull(memories);
        BatchBounds.Require(memories, memoryOptions.Value);
        var writes = await EmbedMissingAsync(memories);
        var errors = new BatchSyncError?[writes.Count];

        // Writes to the same id keep their order; different ids run concurrently, a bounded number at a time.
        var groups = new Queue<int[]>(Enumerable.Range(0, writes.Count)
            .GroupBy(i => writes[i].MemoryId ?? string.Empty, StringComparer.Ordinal)
            .Select(group => group.ToArray()));
        var workers = Enumerable.Range(0, Math.Max(1, memoryOptions.Value.BatchConcurrency)).Select(async _ =>
        {
            while (groups.TryDequeue(out var group))
            {
                foreach (var index in group)
                {
                    errors[index] = await WriteOneAsync(writes[index]);
                }
            }
        });
        await Task.WhenAll(workers);

        var failed = errors.Where(error => error is not null).Select(error => error!).ToList();
        return new BatchSyncResult(writes.Count - failed.Count, failed.Count, failed);
    }

    private async Task<BatchSyncError?> WriteOneAsync(MemoryWrite write)
    {
        if (string.IsNullOrEmpty(write.MemoryId))
        {
            return new BatchSyncError(string.Empty, "memory_id: must not be empty");
        }

        try
        {
            await GrainFactory.GetGrain<IMemoryGrain>(write.MemoryId).UpsertAsync(write);
            return null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new BatchSyncError(write.MemoryId, exception.Message);
        }
    }

    // Embeds the contents that came without a vector, all in one call off the grain's thread (the generator sorts them
    // by length into batches and runs those on every core); everything else passes through untouched and is validated
    // by its MemoryGrain.
    private async Task<IReadOnlyList<MemoryWrite>> EmbedMissingAsync(IReadOnlyList<MemoryWrite> memories)
    {
        var needing = Enumerable.Range(0, memories.Count)
            .Where(i => memories[i].Embedding is null && !string.IsNullOrWhiteSpace(memories[i].Content))
            .ToList();
        if (needing.Count == 0)
        {
            return memories;
        }

        var texts = needing.Select(i => memories[i].Content).ToList();
        var vectors = await Task.Run(() => embedder.Embed(texts));
        var result = memories.ToArray();
        for (var j = 0; j < needing.Count; j++)
        {
            if (vectors[j].Length == faissOptions.Value.Dimension)
            {
                result[needing[j]] = memories[needing[j]] with { Embedding = vectors[j], EmbeddingModel = embedder.ModelId };
            }
        }

        return result;
    }
}
