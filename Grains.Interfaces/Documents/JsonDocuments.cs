using System.Text.Json;
using System.Text.Json.Nodes;

namespace MemorySync.Documents;

internal static class JsonDocuments
{
    // A detached copy: the element outlives the parsed document.
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    // Metadata is always an object (the write path refuses anything else).
    public static JsonObject ParseObject(string json) => JsonNode.Parse(json)?.AsObject() ?? [];
}
