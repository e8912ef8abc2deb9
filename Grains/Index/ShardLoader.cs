using MemorySync.Configuration;
using MemorySync.Faiss;
using MemorySync.Model;
using MemorySync.Stores;
using Microsoft.Extensions.Logging;

namespace MemorySync.Index;

/// <summary>
/// Brings a shard's index up when it activates: from its snapshot, with the memories changed after it replayed from
/// PostgreSQL, or by a full rebuild from PostgreSQL when there is no usable snapshot (none, damaged, of another index
/// type, or older than the outbox keeps completed rows, so that replaying it would miss changes).
/// </summary>
internal sealed class ShardLoader(
    int shard,
    int shardCount,
    IIndexSource indexSource,
    IndexSnapshotStore snapshots,
    ShardIndexType indexType,
    FaissOptions faiss,
    OutboxOptions outbox,
    ILogger logger)
{
    private const int ReplayChunk = 1000;
    private const int RebuildBatch = 1024;

    public async Task<LoadedShard> LoadAsync(CancellationToken cancellationToken)
    {
        var (snapshot, age) = await LoadReplayableSnapshotAsync(cancellationToken);
        // A shard that had not trained yet snapshots its Flat staging index: that one is as good a start.
        var usableFactory = snapshot is not null && (snapshot.Factory == indexType.Configured || snapshot.Factory == indexType.StartingFactory);
        if (usableFactory && snapshot!.Metric == faiss.Metric.ToString() && snapshot.Dimension == faiss.Dimension)
        {
            try
            {
                return await RestoreAsync(snapshot, age!.Value, cancellationToken);
            }
            catch (Exception exception) when (exception is FaissException or InvalidDataException or EndOfStreamException)
            {
                // A damaged snapshot costs a rebuild, never the shard.
                IndexLog.SnapshotUnusable(logger, exception, shard);
            }
        }

        // The periodic save still counts from a replayable snapshot's time, though this one was of no use.
        return await RebuildAsync(age, cancellationToken);
    }

    // The shard's snapshot, unless it is older than the outbox keeps completed rows.
    private async Task<(IndexSnapshot? Snapshot, TimeSpan? Age)> LoadReplayableSnapshotAsync(CancellationToken cancellationToken)
    {
        if (await snapshots.LoadAsync(shard, cancellationToken) is not var (snapshot, age))
        {
            return (null, null);
        }

        if (!SnapshotFreshness.IsReplayable(age, outbox.RetainCompleted))
        {
            IndexLog.SnapshotTooOld(logger, shard, snapshot.TakenAt, outbox.RetainCompleted);
            return (null, null);
        }

        return (snapshot, age);
    }

    private async Task<LoadedShard> RestoreAsync(IndexSnapshot snapshot, TimeSpan age, CancellationToken cancellationToken)
    {
        var faissIndex = FaissIndex.Deserialize(snapshot.IndexData);
        ShardIndex restored;
        try
        {
            restored = ShardIndex.Restore(faissIndex, LabelMapCodec.Read(snapshot.LabelMap));
        }
        catch
        {
            faissIndex.Dispose();
            throw;
        }

        try
        {
            if (snapshot.Factory == indexType.Configured)
            {
                // The snapshot keeps the parameters it was taken with; the configured ones may have changed since.
                restored.Faiss.SetParameters(indexType.SearchParameters);
            }

            var (changedIds, through) = await snapshots.ChangedSinceAsync(snapshot, cancellationToken);
            var changed = changedIds.Where(id => IndexShards.ShardOf(id, shardCount) == shard).ToList();
            var replayed = await ReplayAsync(restored, changed, cancellationToken);
            IndexLog.Restored(logger, shard, restored.Labels.Count, snapshot.TakenAt, replayed);
            // From the snapshot's own position: replayed, the memories of every row read are as PostgreSQL holds them.
            return new LoadedShard(restored, snapshot.Factory, "snapshot", through, replayed, ChangesSinceSnapshot: replayed, snapshot.TakenAt, age);
        }
        catch
        {
            restored.Dispose();
            throw;
        }
    }

    // Brings the listed memories to what PostgreSQL holds now; returns how many changed the index.
    private async Task<int> ReplayAsync(ShardIndex index, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var chunk in memoryIds.Chunk(ReplayChunk))
        {
            var byMemory = index.LabelsOf(chunk.ToHashSet(StringComparer.Ordinal));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var (memoryId, label, entry) in snapshots.CurrentEntriesAsync(chunk, faiss.Dimension, cancellationToken))
            {
                seen.Add(memoryId);
                var held = byMemory[memoryId].ToList();
                var upToDate = entry is null ? held.Count == 0 : held.Count == 1 && held[0] == label && index.Labels[label].Version == entry.Version;
                if (!upToDate)
                {
                    index.ReplaceMemory(memoryId, label, entry, held);
                    replayed++;
                }
            }

            // Ids PostgreSQL no longer has at all: nothing of theirs may stay indexed.
            foreach (var missing in chunk.Where(id => !seen.Contains(id) && byMemory[id].Any()))
            {
                index.ReplaceMemory(missing, -1, null, [.. byMemory[missing]]);
                replayed++;
            }
        }

        return replayed;
    }

    // Into the starting index: when PostgreSQL holds enough vectors, training follows right after activation.
    private async Task<LoadedShard> RebuildAsync(TimeSpan? snapshotAge, CancellationToken cancellationToken)
    {
        var factory = indexType.StartingFactory;
        var rebuilt = new ShardIndex(indexType.Create(factory));
        try
        {
            // The outbox's end before the scan: every row up to it is in what the scan reads.
            var through = await snapshots.OutboxEndAsync(cancellationToken);
            var batch = new List<IndexEntry>(RebuildBatch);
            await foreach (var entry in indexSource.ReadIndexEntriesAsync(faiss.Dimension, cancellationToken))
            {
                if (IndexShards.ShardOf(entry.MemoryId, shardCount) != shard)
                {
                    continue;
                }

                batch.Add(entry);
                if (batch.Count == RebuildBatch)
                {
                    rebuilt.Add(batch);
                    batch.Clear();
                }
            }

            rebuilt.Add(batch);
            IndexLog.Loaded(logger, shard, rebuilt.Labels.Count);
            return new LoadedShard(rebuilt, factory, "rebuild", through, Replayed: 0, ChangesSinceSnapshot: rebuilt.Labels.Count, null, snapshotAge);
        }
        catch
        {
            rebuilt.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A shard as it came up: its index and factory, where it came from ("snapshot" or "rebuild"), the outbox position it
/// holds, how many memories the replay changed, the changes its next snapshot has to hold, the time of the snapshot it
/// came from, and the age of the latest replayable snapshot (the periodic save counts from it).
/// </summary>
internal sealed record LoadedShard(
    ShardIndex Index,
    string Factory,
    string LoadedFrom,
    long Through,
    int Replayed,
    long ChangesSinceSnapshot,
    DateTimeOffset? SnapshotTakenAt,
    TimeSpan? SnapshotAge);
