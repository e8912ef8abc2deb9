namespace MemorySync.Faiss;

/// <summary>
/// The k nearest neighbours of each query, row-major: query q's j-th neighbour is at q * K + j.
/// A label of -1 means the index had fewer than k vectors.
/// </summary>
public sealed record FaissSearchResult(int QueryCount, int K, float[] Distances, long[] Labels)
{
    public ReadOnlySpan<long> LabelsOf(int query) => Labels.AsSpan(query * K, K);

    public ReadOnlySpan<float> DistancesOf(int query) => Distances.AsSpan(query * K, K);
}
