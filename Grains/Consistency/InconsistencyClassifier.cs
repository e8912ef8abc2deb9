using MemorySync.Stores;

namespace MemorySync.Consistency;

/// <summary>Judges one memory's copies against PostgreSQL's row: which stores are missing it, behind, corrupt or orphaned.</summary>
internal static class InconsistencyClassifier
{
    /// <summary>Whether Redis's copy (null: absent) differs from what PostgreSQL says it should hold.</summary>
    public static bool RedisDiffers(TruthRow? truth, RedisCopy? copy) => truth is { Live: true }
        // missing, stale (or ahead), holding another version's checksum, or edited behind MemorySync's back
        ? copy is null || copy.Version != truth.Version || copy.Checksum != truth.Checksum || !copy.Intact
        // orphaned: Redis holds a memory PostgreSQL deleted or never had
        : copy is not null;

    /// <summary>Whether the index's entries for the memory (normally zero or one) differ from what PostgreSQL says it should hold.</summary>
    public static bool FaissDiffers(TruthRow? truth, IReadOnlyList<IndexedMemory> entries) => truth is { Indexed: true }
        ? entries.Count != 1 || entries[0].Version != truth.Version || entries[0].Label != truth.Label
        : entries.Count > 0;

    /// <summary>The stores that differ for one memory, in a stable order.</summary>
    public static List<string> Classify(TruthRow? truth, RedisCopy? redis, IReadOnlyList<IndexedMemory> faiss, bool checkRedis, bool checkFaiss)
    {
        var stores = new List<string>(2);
        if (checkRedis && RedisDiffers(truth, redis))
        {
            stores.Add(StoreNames.Redis);
        }

        if (checkFaiss && FaissDiffers(truth, faiss))
        {
            stores.Add(StoreNames.Faiss);
        }

        return stores;
    }
}
