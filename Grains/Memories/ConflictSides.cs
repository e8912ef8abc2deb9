using System.Text.Json.Nodes;
using MemorySync.Model;

namespace MemorySync.Memories;

/// <summary>One side of a conflict as conflict_resolutions keeps it (JSON), and back.</summary>
internal static class ConflictSides
{
    public static string ToJson(MemoryContent side, long? version) => new JsonObject
    {
        ["version"] = version,
        ["agent_id"] = side.AgentId,
        ["content"] = side.Content,
        ["memory_type"] = side.MemoryType,
        ["importance"] = side.Importance,
        ["metadata"] = JsonNode.Parse(side.CanonicalMetadata),
        ["hlc"] = side.Hlc,
        ["embedding_model"] = side.EmbeddingModel,
        ["embedding"] = side.Embedding is null ? null : new JsonArray(side.Embedding.Select(value => (JsonNode?)value).ToArray()),
    }.ToJsonString();

    public static MemoryContent FromJson(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new MemoryContent(
            node["agent_id"]!.GetValue<string>(),
            node["content"]!.GetValue<string>(),
            node["memory_type"]!.GetValue<string>(),
            node["importance"]!.GetValue<double>(),
            CanonicalJson.Parse(node["metadata"]!.ToJsonString()),
            node["embedding"]?.AsArray().Select(value => value!.GetValue<float>()).ToArray(),
            node["embedding_model"]?.GetValue<string>(),
            node["hlc"]!.GetValue<long>());
    }

    public static string StrategyName(ConflictStrategy strategy) => strategy switch
    {
        ConflictStrategy.LatestWins => "latest_wins",
        ConflictStrategy.Merge => "merge",
        ConflictStrategy.VersionVector => "version_vector",
        _ => "manual",
    };
}
