using MemorySync.Faiss;

namespace MemorySync.Configuration;

/// <summary>The vector index (section <c>Faiss</c>).</summary>
public sealed class FaissOptions
{
    public const string SectionName = "Faiss";

    /// <summary>
    /// A FAISS factory string for the index; it must support removal (so not HNSW). <c>Flat</c> scans every vector
    /// (exact); an index that needs training (<c>IVF1024,Flat</c>, <c>SQ8</c>) is built once a shard holds
    /// <see cref="TrainAfterVectors"/> vectors, and until then the shard serves from a Flat index. See docs/index-types.md.
    /// </summary>
    /// <remarks>
    /// The default is IVF: below <see cref="TrainAfterVectors"/> a shard is exact (Flat) anyway, and above it a Flat scan
    /// costs about 24 ms per query at 100,000 vectors where 1,024 lists probed 32 at a time cost about 1 ms at recall@10
    /// 0.98-1.000 (docs/index-types.md, measured with <c>memsync bench index</c>).
    /// </remarks>
    public string Factory { get; set; } = "IVF1024,Flat";

    /// <summary>
    /// Search-time parameters of the trained index, as FAISS writes them: <c>nprobe=16</c>, comma-separated. Unset, an
    /// IVF index probes <see cref="DefaultIvfSearchParameters"/> and other types take none (so <c>Factory = Flat</c>
    /// alone is a valid choice); set to the empty text, none at all.
    /// </summary>
    public string? SearchParameters { get; set; }

    /// <summary>What an IVF index probes when <see cref="SearchParameters"/> is unset: recall@10 of 0.98 or more at 1,024 lists.</summary>
    public const string DefaultIvfSearchParameters = "nprobe=32";

    /// <summary>The search parameters in force: <see cref="SearchParameters"/>, or the default for <see cref="Factory"/>'s type.</summary>
    public string EffectiveSearchParameters =>
        SearchParameters ?? (Factory.TrimStart().StartsWith("IVF", StringComparison.OrdinalIgnoreCase) ? DefaultIvfSearchParameters : "");

    /// <summary>
    /// How many vectors a shard holds before it trains an index of type <see cref="Factory"/> on them (ignored for types
    /// that need no training). IVF wants about 40 training vectors per list: 40,000 for <c>IVF1024</c>.
    /// </summary>
    public int TrainAfterVectors { get; set; } = 50_000;

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
