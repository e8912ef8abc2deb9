namespace MemorySync.UnitTests.Faiss;

/// <summary>
/// Data shaped like sentence embeddings rather than uniform noise: unit vectors drawn around a few hundred random unit
/// centres (topics) with Gaussian noise, normalized again. An IVF index's lists follow such clusters; on uniform noise
/// no index type beats a full scan.
/// </summary>
internal sealed class ClusteredVectors
{
    private readonly float[][] _centres;
    private readonly int _dimension;
    private readonly double _noise;

    public ClusteredVectors(Random random, int centres, int dimension, double noise)
    {
        _dimension = dimension;
        _noise = noise;
        _centres = Enumerable.Range(0, centres).Select(_ => Normalized(Enumerable.Range(0, dimension).Select(_ => Gaussian(random)).ToArray())).ToArray();
    }

    /// <summary>Row-major unit vectors, each around a centre picked at random.</summary>
    public float[] Draw(Random random, int count)
    {
        var vectors = new float[count * _dimension];
        for (var row = 0; row < count; row++)
        {
            var centre = _centres[random.Next(_centres.Length)];
            var vector = new float[_dimension];
            for (var i = 0; i < _dimension; i++)
            {
                vector[i] = centre[i] + (float)(_noise * Gaussian(random));
            }

            Normalized(vector).CopyTo(vectors, row * _dimension);
        }

        return vectors;
    }

    private static float[] Normalized(float[] vector)
    {
        var norm = (float)Math.Sqrt(vector.Sum(value => (double)value * value));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    // Box-Muller: one standard normal sample.
    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
