using MemorySync.Configuration;
using MemorySync.Faiss;

namespace MemorySync.Index;

/// <summary>
/// The index type a shard serves from, read once from <c>Faiss:Factory</c>: whether it needs training (IVF, scalar
/// quantizers cannot take a vector before it), the search parameters it takes, and the factory an empty or rebuilt
/// shard starts from (the exact Flat staging index, for a type that needs training).
/// </summary>
internal sealed class ShardIndexType
{
    public const string StagingFactory = FaissIndex.DefaultFactory;

    private readonly FaissOptions _faiss;

    private ShardIndexType(FaissOptions faiss, bool needsTraining, IReadOnlyList<FaissSearchParameter> searchParameters)
    {
        _faiss = faiss;
        NeedsTraining = needsTraining;
        SearchParameters = searchParameters;
    }

    /// <summary>The configured factory (<c>Faiss:Factory</c>).</summary>
    public string Configured => _faiss.Factory;

    public bool NeedsTraining { get; }

    public IReadOnlyList<FaissSearchParameter> SearchParameters { get; }

    public string StartingFactory => NeedsTraining ? StagingFactory : Configured;

    public static ShardIndexType Read(FaissOptions faiss)
    {
        using var probe = FaissIndex.Create(faiss.Factory, faiss.Metric, faiss.Dimension);
        return new ShardIndexType(faiss, needsTraining: !probe.IsTrained, FaissSearchParameter.ParseList(faiss.EffectiveSearchParameters));
    }

    /// <summary>An empty index of the factory; of the configured one, with its search parameters set.</summary>
    public FaissIndex Create(string factory)
    {
        var index = FaissIndex.Create(factory, _faiss.Metric, _faiss.Dimension);
        if (factory == Configured)
        {
            index.SetParameters(SearchParameters);
        }

        return index;
    }
}
