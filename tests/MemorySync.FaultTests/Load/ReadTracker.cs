using System.Globalization;

namespace MemorySync.FaultTests.Load;

/// <summary>
/// What one reader (a writer task of the workload) has seen of each memory: the highest version it read or was
/// acknowledged. A later read that returns a lower version is a version going backwards for that reader, which covers
/// read-your-writes (a write acknowledged at version n, then read back older) and monotonic reads (a stale activation
/// answering after a newer one did). Used by one task at a time.
/// </summary>
internal sealed class ReadTracker(int reader)
{
    private readonly Dictionary<string, long> _highestSeen = new(StringComparer.Ordinal);

    /// <summary>A version this reader was told of by an acknowledgement or a read.</summary>
    public void Saw(string memoryId, long version)
    {
        if (version > _highestSeen.GetValueOrDefault(memoryId))
        {
            _highestSeen[memoryId] = version;
        }
    }

    /// <summary>
    /// A read's answer: null when it went no further back than this reader had seen, else what went backwards. A read
    /// that found no memory says nothing (another writer may have deleted it; a tombstone has no version to compare).
    /// </summary>
    public string? Read(string memoryId, long? version)
    {
        if (version is not { } read)
        {
            return null;
        }

        var seen = _highestSeen.GetValueOrDefault(memoryId);
        Saw(memoryId, read);
        return read < seen
            ? string.Create(CultureInfo.InvariantCulture, $"reader {reader} read {memoryId} at v{read} after it had seen v{seen}")
            : null;
    }
}
