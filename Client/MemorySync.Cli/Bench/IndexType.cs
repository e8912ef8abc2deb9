using MemorySync.Faiss;

namespace MemorySync.Cli.Bench;

/// <summary>The silo's index type (a FAISS factory string and its search parameters), rebuilt raw for comparison.</summary>
internal sealed record IndexType(string Factory, string? SearchParameters)
{
    public static IndexType Exact { get; } = new(FaissIndex.DefaultFactory, null);

    /// <summary>The type serving the cluster's searches (all shards share one configuration; the first one tells).</summary>
    public static IndexType Of(IReadOnlyList<IndexShardInfo> shards) =>
        shards.Count == 0 ? Exact : new IndexType(shards[0].Factory, shards[0].SearchParameters);

    /// <summary>The bytes one vector takes in the index: 8-bit codes a byte per value, 4-bit half, otherwise a float.</summary>
    public int VectorBytes(int dimension) =>
        Factory.Contains("SQ8", StringComparison.Ordinal) ? dimension
        : Factory.Contains("SQ4", StringComparison.Ordinal) ? dimension / 2
        : dimension * sizeof(float);

    /// <summary>An index of this type holding the vectors, trained on them first when the type needs it.</summary>
    public FaissIndex Build(float[] vectors, long[] labels)
    {
        var index = FaissIndex.Create(Factory, FaissMetric.InnerProduct, BenchRecords.Dimension);
        if (!index.IsTrained)
        {
            index.Train(vectors);
        }

        index.SetParameters(FaissSearchParameter.ParseList(SearchParameters));
        index.Add(vectors, labels);
        return index;
    }

    public override string ToString() => SearchParameters is { Length: > 0 } parameters ? $"{Factory} {parameters}" : Factory;
}
