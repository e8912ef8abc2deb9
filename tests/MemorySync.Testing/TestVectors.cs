namespace MemorySync.Testing;

internal static class TestVectors
{
    public const int Dimension = 384;

    /// <summary>A random unit vector: what an embedding model returns, without running one.</summary>
    public static float[] Unit(Random random)
    {
        var vector = new float[Dimension];
        double norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }
}
