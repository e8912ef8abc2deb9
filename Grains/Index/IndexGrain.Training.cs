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
    private const string StagingFactory = FaissIndex.DefaultFactory;

    // The factory of the index serving searches: Faiss:Factory, or the Flat staging index until the shard trains.
    private string _indexFactory = StagingFactory;
    private bool _factoryNeedsTraining;
    private IReadOnlyList<FaissSearchParameter> _searchParameters = [];
    private long _trainAt;
    private Task? _trainingTask;

    private bool Trained => _indexFactory == faissOptions.Value.Factory;

    // Building the trained index; the snapshot that follows the swap no longer counts.
    private bool Training => _trainingTask is { IsCompleted: false } && !Trained;

    // The factory an empty shard (or a rebuilt one) starts from.
    private string StartingFactory => _factoryNeedsTraining ? StagingFactory : faissOptions.Value.Factory;

    private void ReadIndexType()
    {
        var faiss = faissOptions.Value;
        using var probe = FaissIndex.Create(faiss.Factory, faiss.Metric, faiss.Dimension);
        _factoryNeedsTraining = !probe.IsTrained;
        _searchParameters = FaissSearchParameter.ParseList(faiss.SearchParameters);
        _trainAt = faiss.TrainAfterVectors;
    }

    private FaissIndex CreateIndex(string factory)
    {
        var faiss = faissOptions.Value;
        var index = FaissIndex.Create(factory, faiss.Metric, faiss.Dimension);
        if (factory == faiss.Factory)
        {
            index.SetParameters(_searchParameters);
        }

        return index;
    }

    // Starts training once the staging index holds enough vectors; a reindex building its shadow goes first.
    private void TrainWhenDue()
    {
        if (Trained || _shard.Labels.Count < _trainAt || _trainingTask is { IsCompleted: false } || _changesDuringReindex is not null)
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
            trained = await Task.Run(() => BuildTrained(source, [.. copied.Keys]));
            // What is queued goes into the live index first, so the catch-up below includes it.
            await FlushNowAsync();
            if (!ReferenceEquals(source, _shard.Faiss))
            {
                TrainAgainOnTheNewIndex();
                return;
            }

            var caughtUp = CatchUp(trained, copied);
            // The swap: one synchronous turn, so no search ever sees half of it.
            trained = _shard.SwapIndex(trained);
            _indexFactory = factory;
            _changesSinceSnapshot += _shard.Labels.Count;
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

    // Off the grain's thread: reads the vectors back from the live index (searches and flushes go on, each native call
    // takes the index's lock in turn) and trains and fills a new index with them.
    private FaissIndex BuildTrained(FaissIndex source, long[] labels)
    {
        // A label a flush removed since the copy is not read back; the catch-up settles it.
        var (rows, kept) = ReadBack(source, labels);
        var index = CreateIndex(faissOptions.Value.Factory);
        try
        {
            index.Train(rows.Span);
            index.Add(rows.Span, kept);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    // Brings the trained index to what the live index holds now: every label added, replaced or removed since the copy
    // (each change makes a new IndexedLabel, so a different reference is a change). Returns how many labels it touched.
    private int CatchUp(FaissIndex trained, Dictionary<long, IndexedLabel> copied)
    {
        var live = _shard.Labels;
        var changed = live.Where(pair => !copied.TryGetValue(pair.Key, out var before) || !ReferenceEquals(before, pair.Value))
            .Select(pair => pair.Key).ToArray();
        var gone = copied.Keys.Where(label => !live.ContainsKey(label)).ToArray();
        trained.Remove([.. changed, .. gone]);
        var (rows, kept) = ReadBack(_shard.Faiss, changed);
        trained.Add(rows.Span, kept);
        return changed.Length + gone.Length;
    }

    // The vectors the index holds under these labels, packed row after row, and the labels it still had.
    private static (ReadOnlyMemory<float> Rows, long[] Labels) ReadBack(FaissIndex from, IReadOnlyCollection<long> labels)
    {
        var dimension = from.Dimension;
        var rows = new float[labels.Count * dimension];
        var kept = new List<long>(labels.Count);
        foreach (var label in labels)
        {
            var vector = from.Reconstruct(label);
            if (vector is not null)
            {
                vector.CopyTo(rows, kept.Count * dimension);
                kept.Add(label);
            }
        }

        return (rows.AsMemory(0, kept.Count * dimension), [.. kept]);
    }
}
