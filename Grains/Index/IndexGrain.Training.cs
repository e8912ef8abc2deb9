using System.Diagnostics;
using MemorySync.Faiss;

namespace MemorySync.Index;

/// <summary>
/// Index types that need training (IVF, scalar quantizers) cannot take a vector before they are trained. Until a shard
/// holds Faiss:TrainAfterVectors vectors it serves from an exact Flat index; then it trains an index of the configured
/// type on those vectors off the grain's thread, catches up with the changes the Flat index took meanwhile, swaps the
/// trained index in and snapshots it. Searches never stop and no change is lost.
/// </summary>
internal sealed partial class IndexGrain
{
    private ShardIndexType _indexType = null!;

    // The factory of the index serving searches: Faiss:Factory, or the Flat staging index until the shard trains.
    private string _indexFactory = ShardIndexType.StagingFactory;
    private long _trainAt;
    private Task? _trainingTask;

    private bool Trained => _indexFactory == faissOptions.Value.Factory;

    // Building the trained index; the snapshot that follows the swap no longer counts.
    private bool Training => _trainingTask is { IsCompleted: false } && !Trained;

    // Starts training once the staging index holds enough vectors; a reindex building its shadow goes first.
    private void TrainWhenDue()
    {
        if (Trained || _shard.Labels.Count < _trainAt || _trainingTask is { IsCompleted: false } || _reindex is { RecordsChanges: true })
        {
            return;
        }

        _trainingTask = TrainAsync();
    }

    private async Task TrainAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var factory = faissOptions.Value.Factory;
        var source = _shard.Faiss;
        var copied = new Dictionary<long, IndexedLabel>(_shard.Labels);
        FaissIndex? trained = null;
        var swapped = false;
        try
        {
            trained = await Task.Run(() => ShardTraining.BuildTrained(source, [.. copied.Keys], () => _indexType.Create(factory)));
            // What is queued goes into the live index first, so the catch-up below includes it.
            await FlushNowAsync();
            if (!ReferenceEquals(source, _shard.Faiss))
            {
                TrainAgainOnTheNewIndex();
                return;
            }

            var caughtUp = ShardTraining.CatchUp(trained, copied, _shard);
            // The swap: one synchronous turn, so no search ever sees half of it.
            trained = _shard.SwapIndex(trained);
            _indexFactory = factory;
            _shardSnapshots.MarkChanged(_shard.Labels.Count);
            swapped = true;
            IndexLog.Trained(logger, Shard, factory, copied.Count, caughtUp, Stopwatch.GetElapsedTime(started).TotalSeconds);
            await TakeSnapshotAsync(CancellationToken.None);
        }
        catch (Exception exception) when (swapped)
        {
            // The trained index serves; its changes stay counted, so a later snapshot includes it.
            IndexLog.SnapshotAfterTrainingFailed(logger, exception, Shard);
        }
        catch (Exception exception) when (!ReferenceEquals(source, _shard.Faiss))
        {
            // A reindex swapped in a new index and disposed the one this training read: no failure of the index type.
            IndexLog.TrainingRestarted(logger, exception, Shard, factory);
            TrainAgainOnTheNewIndex();
        }
        catch (ObjectDisposedException)
        {
            // The shard deactivated (and disposed its index) while training: the next activation trains again.
        }
        catch (Exception exception)
        {
            // Training again at every flush would fail the same way: wait until the shard has grown.
            _trainAt = Math.Max(_trainAt, _shard.Labels.Count) * 2;
            IndexLog.TrainingFailed(logger, exception, Shard, factory, _trainAt);
        }
        finally
        {
            // The index not serving: the unused trained one, or the Flat one it replaced.
            trained?.Dispose();
        }
    }

    // A reindex swapped in a new index meanwhile: its vectors are the ones to train on.
    private void TrainAgainOnTheNewIndex()
    {
        _trainingTask = null;
        TrainWhenDue();
    }
}
