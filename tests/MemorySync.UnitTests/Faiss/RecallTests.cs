using MemorySync.Faiss;

namespace MemorySync.UnitTests.Faiss;

/// <summary>
/// The recommended index types (docs/index-types.md) against the exact answer of a Flat index, on clustered data shaped
/// like real embeddings. Recall only: speed is the benchmark's to measure, never a test's.
/// </summary>
public sealed class RecallTests
{
    private const int Dimension = 384;
    private const int Stored = 20_000;
    private const int Queries = 200;
    private const int K = 10;

    [Theory]
    [InlineData("IVF1024,Flat", "nprobe=32")]
    [InlineData("IVF1024,SQ8", "nprobe=32")]
    public void RecallAt10_OnClusteredEmbeddings_IsAtLeast95Percent(string factory, string searchParameters)
    {
        var random = new Random(2026);
        var topics = new ClusteredVectors(random, centres: 300, Dimension, noise: 0.08);
        var vectors = topics.Draw(random, Stored);
        var queries = topics.Draw(random, Queries);
        var ids = Enumerable.Range(0, Stored).Select(i => 10_000L + i).ToArray();
        using var exact = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        exact.Add(vectors, ids);
        using var index = FaissIndex.Create(factory, FaissMetric.InnerProduct, Dimension);
        index.Train(vectors);
        index.Add(vectors, ids);
        index.SetParameters(FaissSearchParameter.ParseList(searchParameters));

        var expected = exact.Search(queries, K);
        var found = index.Search(queries, K);

        var hits = Enumerable.Range(0, Queries).Sum(q => found.LabelsOf(q).ToArray().Intersect(expected.LabelsOf(q).ToArray()).Count());
        var recall = hits / (double)(Queries * K);
        Assert.True(recall >= 0.95, $"recall@{K} of {factory} ({searchParameters}) was {recall:F3}");
    }
}
