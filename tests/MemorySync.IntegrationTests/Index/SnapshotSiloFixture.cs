using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Index;

/// <summary>
/// A real silo with one index shard whose only snapshots are those a test asks for (the periodic one is half an hour
/// away), so a test knows exactly what its snapshot holds and what a restart has to replay.
/// </summary>
public sealed class SnapshotSiloFixture : ConnectedSiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Faiss__SnapshotInterval"] = "00:30:00",
    };
}
