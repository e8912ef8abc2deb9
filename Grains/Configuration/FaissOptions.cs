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
}
