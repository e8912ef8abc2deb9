using MemorySync.Faiss;

namespace MemorySync.UnitTests.Faiss;

public sealed class FaissIndexTests
{
    private const int Dimension = 32;
    private const int Stored = 500;
    private const int Queries = 25;
    private const int K = 10;

    [Theory]
    [InlineData(FaissMetric.InnerProduct)]
    [InlineData(FaissMetric.L2)]
    public void Search_OnRandomData_ReturnsTheSameTopKAsBruteForce(FaissMetric metric)
    {
        var random = new Random(42);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => 1_000_000L + (i * 7)).ToArray();
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);
        using var index = FaissIndex.Create("Flat", metric, Dimension);
        index.Add(vectors, ids);

        var result = index.Search(queries, K);

        Assert.Equal(Stored, index.Count);
        for (var q = 0; q < Queries; q++)
        {
            var expected = BruteForce.TopK(vectors, ids, Dimension, queries.AsSpan(q * Dimension, Dimension), K, metric);
            Assert.Equal(expected, result.LabelsOf(q).ToArray());
        }
    }

    [Fact]
    public void Remove_TakesTheIdsOutOfEverySearchResult()
    {
        var random = new Random(7);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(1, Stored).Select(i => (long)i).ToArray();
        using var index = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        index.Add(vectors, ids);
        var removedIds = ids.Where(id => id % 3 == 0).ToArray();

        var removed = index.Remove(removedIds.Append(999_999L).ToArray());

        Assert.Equal(removedIds.Length, removed);
        Assert.Equal(Stored - removedIds.Length, index.Count);
        var keptIds = ids.Where(id => id % 3 != 0).ToArray();
        var keptVectors = keptIds.SelectMany(id => vectors.AsSpan((int)(id - 1) * Dimension, Dimension).ToArray()).ToArray();
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);
        var result = index.Search(queries, K);
        for (var q = 0; q < Queries; q++)
        {
            var expected = BruteForce.TopK(keptVectors, keptIds, Dimension, queries.AsSpan(q * Dimension, Dimension), K, FaissMetric.InnerProduct);
            Assert.Equal(expected, result.LabelsOf(q).ToArray());
        }
    }

    [Fact]
    public void SerializeThenDeserialize_GivesIdenticalResults()
    {
        var random = new Random(11);
        var vectors = BruteForce.RandomVectors(random, Stored, Dimension);
        var ids = Enumerable.Range(0, Stored).Select(i => (long)i * 1_000_003).ToArray();
        using var original = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        original.Add(vectors, ids);
        original.Remove([ids[3], ids[4]]);
        var queries = BruteForce.RandomVectors(random, Queries, Dimension);

        var snapshot = original.Serialize();
        using var restored = FaissIndex.Deserialize(snapshot);

        Assert.Equal(original.Count, restored.Count);
        Assert.Equal(Dimension, restored.Dimension);
        var before = original.Search(queries, K);
        var after = restored.Search(queries, K);
        Assert.Equal(before.Labels, after.Labels);
        Assert.Equal(before.Distances, after.Distances);
    }

    [Fact]
    public void Add_WithTheWrongDimension_ThrowsInsteadOfCrashing()
    {
        using var index = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);

        var error = Assert.Throws<ArgumentException>(() => index.Add(new float[Dimension + 1], [1L]));

        Assert.Contains($"{Dimension}-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Create_WithABadFactoryString_ThrowsFaissOwnMessage()
    {
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create("NoSuchIndex42", FaissMetric.InnerProduct, Dimension));

        // FAISS's index_factory names the part of the description it could not parse.
        Assert.Contains("NoSuchIndex42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithAFactoryThatCannotUseTheDimension_ThrowsFaissOwnMessage()
    {
        // PQ with 8 sub-quantizers needs a dimension divisible by 8: FAISS itself refuses 30.
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create("PQ8", FaissMetric.L2, 30));

        Assert.StartsWith("FAISS FaissError:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithANonPositiveDimension_ThrowsInvalidArgument()
    {
        var error = Assert.Throws<FaissException>(() => FaissIndex.Create("Flat", FaissMetric.L2, 0));

        Assert.Contains("dimension must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_OfGarbage_ThrowsInsteadOfCrashing()
    {
        Assert.Throws<FaissException>(() => FaissIndex.Deserialize([1, 2, 3, 4, 5, 6, 7, 8]));
    }

    [Fact]
    public async Task Search_WhileAddsRun_NeverFailsAndSeesAConsistentIndex()
    {
        var random = new Random(3);
        using var index = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        var batches = Enumerable.Range(0, 20).Select(_ => BruteForce.RandomVectors(random, 50, Dimension)).ToArray();
        var query = BruteForce.RandomVectors(random, 1, Dimension);

        var writer = Task.Run(() =>
        {
            for (var b = 0; b < batches.Length; b++)
            {
                index.Add(batches[b], Enumerable.Range(b * 50, 50).Select(i => (long)i).ToArray());
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                var labels = index.Search(query, K).Labels;
                var found = labels.Where(label => label >= 0).ToArray();
                Assert.Equal(found.Length, found.Distinct().Count());
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);

        Assert.Equal(1000, index.Count);
    }

    [Fact]
    public void Reconstruct_ReturnsTheStoredVector_AndNullOnceRemoved()
    {
        var vectors = BruteForce.RandomVectors(new Random(5), 3, Dimension);
        using var index = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        index.Add(vectors, [10L, 20L, 30L]);

        Assert.Equal(vectors.AsSpan(Dimension, Dimension).ToArray(), index.Reconstruct(20L));
        index.Remove([20L]);
        Assert.Null(index.Reconstruct(20L));
        Assert.Equal(vectors.AsSpan(2 * Dimension, Dimension).ToArray(), index.Reconstruct(30L));
    }

    [Fact]
    public void Use_AfterDispose_ThrowsObjectDisposed()
    {
        var index = FaissIndex.Create("Flat", FaissMetric.InnerProduct, Dimension);
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Search(new float[Dimension], 1));
    }
}
