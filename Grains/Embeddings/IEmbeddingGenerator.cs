namespace MemorySync.Embeddings;

/// <summary>Turns text into a vector of <see cref="Dimension"/> floats, for memories written without an embedding and for text search.</summary>
/// <remarks>Implementations are thread-safe: several grains may embed at once.</remarks>
public interface IEmbeddingGenerator
{
    /// <summary>Names the model, stored with each vector so a vector from another model is recognisable.</summary>
    string ModelId { get; }

    /// <summary>Length of every vector this generator returns.</summary>
    int Dimension { get; }

    /// <summary>Embeds each text; the vectors are L2-normalized, so inner product is cosine similarity.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
