using MemorySync.Configuration;
using MemorySync.Diagnostics;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;

namespace MemorySync.Memories;

/// <summary>
/// Redis and FAISS as one memory's grain writes them: a version PostgreSQL committed applied to the stores behind it, a
/// failed strict write undone, a repair's copy of PostgreSQL's version installed. It holds none of the memory's state: the
/// grain says what to write, and records what was written. Made per activation, with the memory's index shard.
/// </summary>
internal sealed class SecondaryStoreWriter(
    IWorkingMemoryStore working,
    IIndexGrain shard,
    int dimension,
    MemorySyncMetrics metrics,
    Failpoints failpoints,
    ILogger logger)
{
    /// <summary>
    /// Applies a committed version to the stores that are behind it. A store that fails is logged and left to the outbox
    /// (PostgreSQL holds the version, so the write still succeeds). Returns the stores that now hold the version (those that
    /// were not behind included), and what the others said.
    /// </summary>
    public async Task<(List<string> InSync, string? Error)> ApplyAsync(StoredMemory stored, bool redisBehind, bool faissBehind)
    {
        var record = stored.Record;
        var inSync = new List<string>(2);
        var errors = new List<string>();
        if (!redisBehind || await ApplyToRedisAsync(record, errors))
        {
            inSync.Add(StoreNames.Redis);
        }

        failpoints.Reach(FailpointNames.AfterRedis);

        if (!faissBehind || await ApplyToFaissAsync(record, stored.Label, stored.Embedding, errors))
        {
            inSync.Add(StoreNames.Faiss);
        }

        return (inSync, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    private async Task<bool> ApplyToRedisAsync(MemoryRecord record, List<string> errors)
    {
        try
        {
            await WriteRedisAsync(record);
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            // Whatever the driver throws (mostly RedisException, but a connection reset mid-command has surfaced as an
            // InvalidOperationException): PostgreSQL holds the version, so this write succeeds and the outbox retries Redis.
            MemoryLog.StoreWriteFailed(logger, exception, StoreNames.Redis, record.MemoryId, record.Version);
            errors.Add($"redis: {exception.Message}");
            return false;
        }
    }

    private async Task<bool> ApplyToFaissAsync(MemoryRecord record, long label, float[]? embedding, List<string> errors)
    {
        try
        {
            await WriteFaissAsync(record, label, embedding);
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            MemoryLog.StoreWriteFailed(logger, exception, StoreNames.Faiss, record.MemoryId, record.Version);
            errors.Add($"faiss: {exception.Message}");
            return false;
        }
    }

    // The one way each secondary store takes a version (eventual, strict and catch-up alike), timed for /metrics. These
    // two throw: a strict write undoes what the other stores took when one of them fails.
    public Task WriteRedisAsync(MemoryRecord record) => metrics.TimeAsync(StoreNames.Redis, () =>
        record.Deleted ? working.DeleteAsync(record.MemoryId, record.Version) : working.WriteAsync(record));

    public Task WriteFaissAsync(MemoryRecord record, long label, float[]? embedding) => metrics.TimeAsync(StoreNames.Faiss, () =>
        record.Deleted || embedding is null
            ? shard.RemoveAsync(label, record.Version)
            : shard.UpsertAsync(new IndexEntry(label, record.MemoryId, record.AgentId, record.MemoryType, record.Version, embedding)));

    /// <summary>
    /// Undoes a failed strict write in the stores it <paramref name="touched"/>. Each store gets its previous record back
    /// only if it holds the failed version, so a restore never undoes anything newer. A store that cannot be restored now
    /// is left to the outbox and the consistency sweep.
    /// </summary>
    public async Task RestoreAsync(List<string> touched, MemoryRecord failed, long label, StoredMemory? previous)
    {
        var live = previous is { Record.Deleted: false } ? previous : null;
        if (touched.Contains(StoreNames.Faiss))
        {
            var entry = live?.Embedding is { } vector
                ? new IndexEntry(label, live.Record.MemoryId, live.Record.AgentId, live.Record.MemoryType, live.Record.Version, vector)
                : null;
            await shard.RestoreAsync(label, failed.Version, entry);
        }

        if (touched.Contains(StoreNames.Redis))
        {
            try
            {
                await working.RestoreAsync(failed.MemoryId, failed.Version, live?.Record);
            }
            catch (Exception exception) when (exception is not MemoryValidationException)
            {
                // Left for the outbox and the consistency sweep to put right (see above).
                MemoryLog.StoreWriteFailed(logger, exception, StoreNames.Redis, failed.MemoryId, failed.Version);
            }
        }
    }

    /// <summary>
    /// A consistency repair: installs <paramref name="stored"/> (PostgreSQL's version as of now; null when it holds none) in
    /// the <paramref name="stores"/> named, whatever they hold, or removes the memory from them when it is not live. Returns
    /// the stores repaired, and what the others said.
    /// </summary>
    public async Task<(List<string> Repaired, string? Error)> RepairAsync(string memoryId, StoredMemory? stored, IReadOnlyList<string> stores)
    {
        var live = stored is { Record.Deleted: false };
        var repaired = new List<string>(2);
        var errors = new List<string>();
        if (stores.Contains(StoreNames.Redis))
        {
            await RepairStoreAsync(memoryId, StoreNames.Redis, () => live ? working.ForceWriteAsync(stored!.Record) : working.PurgeAsync(memoryId),
                repaired, errors);
        }

        if (stores.Contains(StoreNames.Faiss))
        {
            await RepairStoreAsync(memoryId, StoreNames.Faiss, () => shard.RepairAsync(memoryId, stored?.Label ?? -1, IndexEntryOf(memoryId, stored, live)),
                repaired, errors);
        }

        return (repaired, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    private IndexEntry? IndexEntryOf(string memoryId, StoredMemory? stored, bool live) =>
        live && stored!.Embedding is { } embedding && embedding.Length == dimension
            ? new IndexEntry(stored.Label, memoryId, stored.Record.AgentId, stored.Record.MemoryType, stored.Record.Version, embedding)
            : null;

    private async Task RepairStoreAsync(string memoryId, string store, Func<Task> repair, List<string> repaired, List<string> errors)
    {
        try
        {
            await metrics.TimeAsync(store, repair);
            repaired.Add(store);
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            MemoryLog.RepairFailed(logger, exception, store, memoryId);
            errors.Add($"{store}: {exception.Message}");
        }
    }
}
