using MemorySync.Faiss;

namespace MemorySync.UnitTests.Faiss;

/// <summary>The reference answer: score every stored vector and keep the best k, ties broken by the smaller id.</summary>
internal static class BruteForce
{
    public static long[] TopK(float[] stored, long[] ids, int dimension, ReadOnlySpan<float> query, int k, FaissMetric metric)
    {
        var scored = new List<(long Id, double Score)>(ids.Length);
        for (var row = 0; row < ids.Length; row++)
        {
            var vector = stored.AsSpan(row * dimension, dimension);
            double score = 0;
            for (var i = 0; i < dimension; i++)
            {
                score += metric == FaissMetric.InnerProduct
                    ? (double)vector[i] * query[i]
                    : ((double)vector[i] - query[i]) * ((double)vector[i] - query[i]);
            }

            scored.Add((ids[row], score));
        }

        var ordered = metric == FaissMetric.InnerProduct
            ? scored.OrderByDescending(entry => entry.Score)
            : scored.OrderBy(entry => entry.Score);
        return ordered.ThenBy(entry => entry.Id).Take(k).Select(entry => entry.Id).ToArray();
    }

    public static float[] RandomVectors(Random random, int count, int dimension)
    {
        var vectors = new float[count * dimension];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return vectors;
    }
}
