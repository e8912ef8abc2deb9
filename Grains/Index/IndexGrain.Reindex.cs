using System.Diagnostics;

namespace MemorySync.Index;

/// <summary>
/// A reindex: <see cref="ShardReindex"/> builds a shadow index from PostgreSQL while the live one serves, and the grain
/// swaps it in, in one turn, once it has caught up with what the live index took meanwhile.
/// </summary>
internal sealed partial class IndexGrain
{
    private Task? _reindexTask;

    // The latest run: while it records changes, Apply, RollBack and Repair hand it theirs.
    private ShardReindex? _reindex;

    public Task<ReindexProgress> StartReindexAsync(bool reembedAll)
    {
        if (_reindexTask is not { IsCompleted: false })
        {
            _reindex = new ShardReindex(Shard, memoryOptions.Value.IndexShards, reembedAll, _indexType, faissOptions.Value.Dimension,
                indexSource, snapshots, embedder, grains);
            _reindexTask = ReindexAsync(_reindex);
        }

        return Task.FromResult(_reindex!.Progress);
    }

    public Task<ReindexProgress?> GetReindexProgressAsync() => Task.FromResult(_reindex?.Progress);

    private async Task ReindexAsync(ShardReindex run)
    {
        var started = Stopwatch.GetTimestamp();
        // Disposed at the end: the shadow when the run fails, the index it replaced when it succeeds.
        var retired = run.Shadow;
        try
        {
            var reembedded = await run.BuildAsync();
            await FlushNowAsync();
            await run.CatchUpAsync();

            // The swap: one synchronous turn, so no search ever sees half of it.
            run.Shadow.TakeRemovalsFrom(_shard);
            (_shard, retired) = (run.Shadow, _shard);
            _indexFactory = run.Factory;
            _shardSnapshots.MarkChanged(_shard.Labels.Count);
            run.Succeeded();
            IndexLog.Reindexed(logger, Shard, _shard.Labels.Count, reembedded, embedder.ModelId, Stopwatch.GetElapsedTime(started).TotalSeconds);
            TrainWhenDue();
            await TakeSnapshotAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            IndexLog.ReindexFailed(logger, exception, Shard);
            run.Failed(exception);
        }
        finally
        {
            retired.Dispose();
        }
    }
}
