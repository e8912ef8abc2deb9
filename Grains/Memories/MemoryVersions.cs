using MemorySync.Model;
using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// A memory's next version, built from its current one: content fields copied or replaced, the checksum computed, the
/// sync fields advanced. No state and no I/O (only the reference clock, for the version's time): the grain decides
/// whether there is a next version, and commits it.
/// </summary>
internal static class MemoryVersions
{
    // A write of exactly what the live version holds changes nothing, so it stores nothing and returns that version: a
    // caller that sends a write again because its reply was lost (a timeout, a silo that died under it) must not get
    // a second version of the same memory. A new vector for the same content is a change (a re-embedding); an open
    // conflict is settled only by a write that goes through. Strict writes always write: their caller asked for
    // every store to take this write, now.
    public static MemoryRecord? UnchangedBy(string memoryId, StoredMemory? current, ValidatedWrite valid)
    {
        if (current is not { Record: { Deleted: false, Conflicted: false } record } stored)
        {
            return null;
        }

        var checksum = MemoryChecksum.Compute(memoryId, valid.AgentId, valid.Content, valid.MemoryType, valid.Importance,
            valid.CanonicalMetadata, deleted: false);
        var sameVector = valid.Embedding is null || (stored.Embedding is { } held && held.AsSpan().SequenceEqual(valid.Embedding));
        return string.Equals(checksum, record.Checksum, StringComparison.Ordinal) && sameVector ? record : null;
    }

    // The next version holding this content: a write that won, a merge, an operator's resolution.
    public static MemoryRecord NextWith(string memoryId, MemoryRecord? current, string writerId, MemoryContent content, bool conflicted)
    {
        var checksum = MemoryChecksum.Compute(memoryId, content.AgentId, content.Content, content.MemoryType, content.Importance,
            content.CanonicalMetadata, deleted: false);
        return Next(memoryId, current, writerId) with
        {
            AgentId = content.AgentId,
            Content = content.Content,
            MemoryType = content.MemoryType,
            Importance = content.Importance,
            MetadataJson = content.CanonicalMetadata,
            Checksum = checksum,
            Deleted = false,
            Conflicted = conflicted,
            EmbeddingModel = content.EmbeddingModel,
            EmbeddingDimension = content.Embedding?.Length,
        };
    }

    // The next version as the tombstone of the live one.
    public static MemoryRecord NextTombstone(string memoryId, MemoryRecord live, string writerId) => Next(memoryId, live, writerId) with
    {
        Checksum = MemoryChecksum.Compute(live.MemoryId, live.AgentId, live.Content, live.MemoryType, live.Importance, live.MetadataJson,
            deleted: true),
        Deleted = true,
    };

    // The store versions of a version once the given stores hold it too.
    public static StoreVersions HeldBy(MemoryRecord record, IReadOnlyCollection<string> stores) => record.StoreVersions with
    {
        Redis = stores.Contains(StoreNames.Redis) ? record.Version : record.StoreVersions.Redis,
        Faiss = stores.Contains(StoreNames.Faiss) ? record.Version : record.StoreVersions.Faiss,
    };

    // The next version on top of the current one: content fields copied, sync fields advanced.
    private static MemoryRecord Next(string memoryId, MemoryRecord? current, string writerId)
    {
        var version = (current?.Version ?? 0) + 1;
        var vector = new Dictionary<string, long>(current?.VersionVector ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        vector[writerId] = vector.GetValueOrDefault(writerId) + 1;
        var previousStores = current?.StoreVersions ?? StoreVersions.None;
        return new MemoryRecord(
            memoryId, current?.AgentId ?? MemoryWrite.DefaultAgent, current?.Content ?? string.Empty,
            current?.MemoryType ?? MemoryTypes.Episodic, current?.Importance ?? 0, current?.MetadataJson ?? "{}",
            version, string.Empty, ReferenceTime.Shared.GetUtcNow(), vector, previousStores with { Postgres = version },
            current?.Deleted ?? false, current?.EmbeddingModel, current?.EmbeddingDimension);
    }
}
