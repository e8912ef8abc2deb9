using System.Globalization;
using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>A real silo process with small bounds, so a test reaches each of them with a few small writes.</summary>
public sealed class BoundedSiloFixture : ConnectedSiloFixture
{
    public const int IndexShards = 2;
    public const int Partitions = 2;
    public const int MaxBatchItems = 5;
    public const int MaxBatchBytes = 4096;
    public const int MaxSearchTextBytes = 100;

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Memory__IndexShards"] = IndexShards.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Consistency__Partitions"] = Partitions.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Memory__MaxBatchItems"] = MaxBatchItems.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Memory__MaxBatchBytes"] = MaxBatchBytes.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Memory__MaxSearchTextBytes"] = MaxSearchTextBytes.ToString(CultureInfo.InvariantCulture),
    };
}
