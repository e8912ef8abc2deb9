using System.Text.Json.Nodes;

namespace MemorySync.Documents;

/// <summary>
/// A memory as the CLI (<c>--json</c>), the HTTP API and the MCP tools show it (DESIGN.md section 9: keep these fields
/// stable). Serialized with <see cref="MemorySyncJson.Options"/>, its names are snake_case.
/// </summary>
/// <param name="Metadata">The memory's metadata object, as JSON.</param>
/// <param name="StoreVersions">How far each store has caught up.</param>
public sealed record MemoryDocument(
    string MemoryId,
    string AgentId,
    string Content,
    string MemoryType,
    double Importance,
    JsonObject Metadata,
    long Version,
    string Checksum,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, long> VersionVector,
    StoreVersionsDocument StoreVersions,
    bool Deleted,
    bool Conflicted,
    string? EmbeddingModel,
    int? EmbeddingDimension)
{
    public static MemoryDocument From(MemoryRecord record) => new(
        record.MemoryId, record.AgentId, record.Content, record.MemoryType, record.Importance, JsonDocuments.ParseObject(record.MetadataJson),
        record.Version, record.Checksum, record.LastModified, record.VersionVector,
        new StoreVersionsDocument(record.StoreVersions.Redis, record.StoreVersions.Postgres, record.StoreVersions.Faiss),
        record.Deleted, record.Conflicted, record.EmbeddingModel, record.EmbeddingDimension);
}

/// <summary>The version each store holds.</summary>
public sealed record StoreVersionsDocument(long Redis, long Postgres, long Faiss);
