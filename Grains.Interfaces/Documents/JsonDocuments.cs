using System.Text.Json.Nodes;

namespace MemorySync.Documents;

internal static class JsonDocuments
{
    // Metadata is always an object (the write path refuses anything else).
    public static JsonObject ParseObject(string json) => JsonNode.Parse(json)?.AsObject() ?? [];
}
