namespace MemorySync.Model;

/// <summary>The rule every vector meets, stored or asked with: the deployment's dimension, every value finite.</summary>
internal static class EmbeddingVector
{
    public static void Require(string field, float[] embedding, int dimension)
    {
        if (embedding.Length != dimension)
        {
            throw new MemoryValidationException(field, $"has {embedding.Length} values; this deployment's dimension is {dimension}");
        }

        for (var i = 0; i < embedding.Length; i++)
        {
            if (!float.IsFinite(embedding[i]))
            {
                throw new MemoryValidationException(field, $"value {i} is {embedding[i]}; every value must be a finite number");
            }
        }
    }
}
