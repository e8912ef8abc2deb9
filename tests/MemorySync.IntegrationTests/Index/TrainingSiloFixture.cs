using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Index;

/// <summary>
/// A real silo configured with an IVF index that trains once its one shard holds <see cref="TrainAfterVectors"/>
/// vectors. nprobe covers every list, so searches stay exact and a test may expect every memory to be found.
/// </summary>
public sealed class TrainingSiloFixture : ConnectedSiloFixture
{
    public const string Factory = "IVF16,Flat";
    public const int TrainAfterVectors = 300;

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Faiss__Factory"] = Factory,
        ["MEMSYNC_Faiss__SearchParameters"] = "nprobe=16",
        ["MEMSYNC_Faiss__TrainAfterVectors"] = TrainAfterVectors.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
