using System.Text.Json.Nodes;

namespace MemorySync.Cli.Import;

/// <summary>
/// Whether the store already holds a line as it is: the fields the checksum covers (agent, content, type, importance,
/// metadata) equal. Storing such a line again would only add a version that changes nothing.
/// </summary>
internal static class SameContent
{
    public static bool Holds(MemoryRecord? stored, MemoryWrite line) =>
        stored is { Deleted: false }
        && stored.AgentId == line.AgentId
        && stored.Content == line.Content
        && stored.MemoryType == line.MemoryType
        && stored.Importance.Equals(line.Importance)
        // The store keeps metadata in its own canonical spelling; compare the JSON values, not the text.
        && JsonNode.DeepEquals(JsonNode.Parse(stored.MetadataJson), JsonNode.Parse(line.MetadataJson ?? "{}"));
}
