using MemorySync.Faiss;

namespace MemorySync.UnitTests.Faiss;

/// <summary>What the shard needs of an index that must be trained: ids kept through removal, reconstruction, snapshots.</summary>
public sealed class IvfIndexTests
{
    private const int Dimension = 32;
    private const int Lists = 16;
    private const int Stored = 2000;
    private const int Queries = 25;
    private const int K = 10;

    [Fact]
    public void Ivf_AfterRemovals_SearchesWithTheCallersIds_AsBruteForceDoes()
    {
        var random = new Random(21);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => 5_000_000L + (i * 11)).ToArray();
        using var index = TrainedIvf(vectors, ids);
        // Every list scanned: the answer must then be exact, so any id mix-up shows.
        index.SetParameter("nprobe", Lists);
        var removedIds = ids.Where((_, i) => i % 4 == 0).ToArray();

        var removed = index.Remove([.. removedIds, 42L]);

        Assert.Equal(removedIds.Length, removed);
        Assert.Equal(Stored - removedIds.Length, index.Count);
        var keptIds = ids.Where((_, i) => i % 4 != 0).ToArray();
        var keptVectors = ids.Select((_, i) => i).Where(i => i % 4 != 0).SelectMany(i => vectors.AsSpan(i * Dimension, Dimension).ToArray()).ToArray();
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);
        var result = index.Search(queries, K);
        for (var q = 0; q < Queries; q++)
        {
            var expected = BruteForce.TopK(keptVectors, keptIds, Dimension, queries.AsSpan(q * Dimension, Dimension), K, FaissMetric.InnerProduct);
            Assert.Equal(expected, result.LabelsOf(q).ToArray());
        }
    }

    [Fact]
    public void Ivf_Reconstruct_ReturnsTheStoredVector_AndNullOnceRemoved()
    {
        var vectors = BruteForce.RandomVectors(new Random(22), Stored, Dimension);
        var ids = Enumerable.Range(1, Stored).Select(i => (long)i * 7).ToArray();
        using var index = TrainedIvf(vectors, ids);

        Assert.Equal(vectors.AsSpan(10 * Dimension, Dimension).ToArray(), index.Reconstruct(ids[10]));
        index.Remove([ids[10]]);
        Assert.Null(index.Reconstruct(ids[10]));
        Assert.Null(index.Reconstruct(3L));
        Assert.Equal(vectors.AsSpan(11 * Dimension, Dimension).ToArray(), index.Reconstruct(ids[11]));
    }

    [Fact]
    public void Ivf_SerializeThenDeserialize_KeepsIdsNprobeAndRemoval()
    {
        var random = new Random(23);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => (long)i * 1_000_003).ToArray();
        using var original = TrainedIvf(vectors, ids);
        original.SetParameter("nprobe", 4);
        original.Remove([ids[3], ids[4]]);
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);

        using var restored = FaissIndex.Deserialize(original.Serialize());

        Assert.True(restored.IsTrained);
        Assert.Equal(original.Count, restored.Count);
        var before = original.Search(queries, K);
        var after = restored.Search(queries, K);
        Assert.Equal(before.Labels, after.Labels);
        Assert.Equal(before.Distances, after.Distances);
        // The direct map came back too: removal and reconstruction by the caller's id still work.
        Assert.Equal(vectors.AsSpan(5 * Dimension, Dimension).ToArray(), restored.Reconstruct(ids[5]));
        Assert.Equal(1, restored.Remove([ids[5]]));
        Assert.Null(restored.Reconstruct(ids[5]));
    }

    [Fact]
    public void SetParameter_Nprobe_DecidesHowMuchOfTheIndexASearchSees()
    {
        var random = new Random(24);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => (long)i).ToArray();
        using var index = TrainedIvf(vectors, ids);
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);
        var exact = Enumerable.Range(0, Queries)
            .Select(q => BruteForce.TopK(vectors, ids, Dimension, queries.AsSpan(q * Dimension, Dimension), K, FaissMetric.InnerProduct))
            .ToArray();

        index.SetParameter("nprobe", 1);
        var narrow = Recall(index.Search(queries, K), exact);
        index.SetParameter("nprobe", Lists);
        var full = Recall(index.Search(queries, K), exact);

        // Uniform noise has no clusters: one list of sixteen misses most neighbours, all sixteen miss none.
        Assert.True(narrow < 0.5, $"recall with nprobe=1 was {narrow}");
        Assert.Equal(1.0, full);
    }

    [Fact]
    public void SetParameter_ThatTheIndexDoesNotHave_ThrowsFaissOwnMessage()
    {
        using var flat = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        using var ivf = FaissIndex.Create($"IVF{Lists},Flat", FaissMetric.InnerProduct, Dimension);

        var onFlat = Assert.Throws<FaissException>(() => flat.SetParameter("nprobe", 8));
        var misspelt = Assert.Throws<FaissException>(() => ivf.SetParameter("nprob", 8));

        Assert.StartsWith("FAISS FaissError:", onFlat.Message, StringComparison.Ordinal);
        Assert.Contains("could not set parameter nprobe", onFlat.Message, StringComparison.Ordinal);
        Assert.Contains("could not set parameter nprob", misspelt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_BeforeTraining_ThrowsInsteadOfCrashing()
    {
        using var index = FaissIndex.Create($"IVF{Lists},Flat", FaissMetric.InnerProduct, Dimension);

        Assert.False(index.IsTrained);
        Assert.Throws<FaissException>(() => index.Add(new float[Dimension], [1L]));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Create_IvfBehindATransform_IsRefused_BecauseRemovalWouldMixUpIds()
    {
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create($"PCA16,IVF{Lists},Flat", FaissMetric.L2, Dimension));

        Assert.Contains("IVF index must be the outer index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sq8_AfterRemovals_KeepsTheCallersIds()
    {
        var random = new Random(25);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => 900L + (i * 3)).ToArray();
        using var index = FaissIndex.Create("SQ8", FaissMetric.L2, Dimension);
        index.Train(vectors);
        index.Add(vectors, ids);

        index.Remove([ids[0], ids[1], ids[2]]);

        // Each stored vector, searched for, finds itself: eight-bit codes blur distances, not identities.
        var self = index.Search(vectors.AsSpan(100 * Dimension, 50 * Dimension), 1);
        Assert.Equal(ids[100..150], self.Labels);
        var reconstructed = index.Reconstruct(ids[100])!;
        Assert.All(reconstructed.Zip(vectors.AsSpan(100 * Dimension, Dimension).ToArray()), pair => Assert.Equal(pair.Second, pair.First, 0.02f));
        Assert.Null(index.Reconstruct(ids[1]));
    }

    private static FaissIndex TrainedIvf(float[] vectors, long[] ids)
    {
        var index = FaissIndex.Create($"IVF{Lists},Flat", FaissMetric.InnerProduct, Dimension);
        index.Train(vectors);
        index.Add(vectors, ids);
        return index;
    }

    private static double Recall(FaissSearchResult result, long[][] exact) =>
        exact.Select((expected, q) => result.LabelsOf(q).ToArray().Intersect(expected).Count()).Sum() / (double)(exact.Length * K);
}
