using MemorySync.Faiss;

namespace MemorySync.Index;

/// <summary>
/// The two halves of training a shard's index while it serves: building the trained index from the vectors the live
/// one holds (off the grain's thread), then catching it up with the changes the live one took meanwhile (on it).
/// </summary>
internal static class ShardTraining
{
    /// <summary>
    /// Reads the vectors back from the live index (searches and flushes go on, each native call takes the index's lock
    /// in turn) and trains and fills a new index with them. A label a flush removed since the copy is not read back;
    /// the catch-up settles it.
    /// </summary>
    public static FaissIndex BuildTrained(FaissIndex source, long[] labels, Func<FaissIndex> createTrainable)
    {
        var (rows, kept) = ReadBack(source, labels);
        var index = createTrainable();
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

    /// <summary>
    /// Brings the trained index to what the live shard holds now: every label added, replaced or removed since the
    /// copy (each change makes a new <see cref="IndexedLabel"/>, so a different reference is a change). Returns how many
    /// labels it touched.
    /// </summary>
    public static int CatchUp(FaissIndex trained, IReadOnlyDictionary<long, IndexedLabel> copied, ShardIndex live)
    {
        var labels = live.Labels;
        var changed = labels.Where(pair => !copied.TryGetValue(pair.Key, out var before) || !ReferenceEquals(before, pair.Value))
            .Select(pair => pair.Key).ToArray();
        var gone = copied.Keys.Where(label => !labels.ContainsKey(label)).ToArray();
        trained.Remove([.. changed, .. gone]);
        var (rows, kept) = ReadBack(live.Faiss, changed);
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
