using System.Text.Json;

namespace MemorySync.Documents;

internal static class JsonDocuments
{
    // A detached copy: the element outlives the parsed document.
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
