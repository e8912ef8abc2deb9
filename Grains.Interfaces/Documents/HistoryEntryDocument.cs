using System.Text.Json.Nodes;

namespace MemorySync.Documents;

/// <summary>One version of a memory's history (<c>memsync history</c>, <c>GET /v1/memories/{id}/history</c>).</summary>
public sealed record HistoryEntryDocument(
    long Version,
    string Content,
    string MemoryType,
    double Importance,
    JsonObject Metadata,
    string Checksum,
    bool Deleted,
    string? WriterId,
    DateTimeOffset CreatedAt)
{
    public static IReadOnlyList<HistoryEntryDocument> From(IReadOnlyList<MemoryHistoryEntry> history) =>
        history.Select(entry => new HistoryEntryDocument(entry.Version, entry.Content, entry.MemoryType, entry.Importance,
            JsonDocuments.ParseObject(entry.MetadataJson), entry.Checksum, entry.Deleted, entry.WriterId, entry.CreatedAt)).ToList();
}
