using MemorySync.Faiss;

namespace MemorySync.Configuration;

/// <summary>The vector index (section <c>Faiss</c>).</summary>
public sealed class FaissOptions
{
    public const string SectionName = "Faiss";

    /// <summary>A FAISS factory string for the inner index; it must support removal (so not HNSW).</summary>
    public string Factory { get; set; } = FaissIndex.DefaultFactory;

    public FaissMetric Metric { get; set; } = FaissMetric.InnerProduct;

    /// <summary>Length of every embedding; 384 matches the bundled MiniLM model.</summary>
    public int Dimension { get; set; } = 384;

    /// <summary>OpenMP/OpenBLAS threads; 1 avoids oversubscribing small machines.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>A shard snapshots its index to PostgreSQL once this many changes arrived since the last snapshot...</summary>
    public int SnapshotAfterChanges { get; set; } = 50_000;

    /// <summary>...or once this much time passed with at least one change (and when it deactivates).</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(5);
}
