using System.Text.Json.Nodes;

namespace MemorySync.Cli;

/// <summary>The CLI's JSON documents for memories (DESIGN.md section 9: keep these fields stable).</summary>
internal static class MemoryDocuments
{
    public static JsonObject Memory(MemoryRecord record) => new()
    {
        ["memory_id"] = record.MemoryId,
        ["agent_id"] = record.AgentId,
        ["content"] = record.Content,
        ["memory_type"] = record.MemoryType,
        ["importance"] = record.Importance,
        ["metadata"] = JsonNode.Parse(record.MetadataJson),
        ["version"] = record.Version,
        ["checksum"] = record.Checksum,
        ["last_modified"] = record.LastModified,
        ["version_vector"] = new JsonObject(record.VersionVector.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)entry.Value))),
        ["store_versions"] = new JsonObject
        {
            ["redis"] = record.StoreVersions.Redis,
            ["postgres"] = record.StoreVersions.Postgres,
            ["faiss"] = record.StoreVersions.Faiss,
        },
        ["deleted"] = record.Deleted,
        ["conflicted"] = record.Conflicted,
        ["embedding_model"] = record.EmbeddingModel,
        ["embedding_dimension"] = record.EmbeddingDimension,
    };

    public static JsonArray History(IReadOnlyList<MemoryHistoryEntry> history) =>
        new(history.Select(entry => (JsonNode?)new JsonObject
        {
            ["version"] = entry.Version,
            ["content"] = entry.Content,
            ["memory_type"] = entry.MemoryType,
            ["importance"] = entry.Importance,
            ["metadata"] = JsonNode.Parse(entry.MetadataJson),
            ["checksum"] = entry.Checksum,
            ["deleted"] = entry.Deleted,
            ["writer_id"] = entry.WriterId,
            ["created_at"] = entry.CreatedAt,
        }).ToArray());

    public static string Write(JsonNode node) => node.ToJsonString(MemorySyncJson.Options);
}
