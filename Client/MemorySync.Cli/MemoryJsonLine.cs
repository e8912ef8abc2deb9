using System.Text.Json;

namespace MemorySync.Cli;

/// <summary>
/// One line of an import file: a JSON object with memory_id, content and optionally memory_type, importance,
/// metadata (an object), embedding (an array of numbers) and agent_id. Only the shape is checked here; the silo
/// validates the values, so the CLI and every other client get the same rules.
/// </summary>
internal static class MemoryJsonLine
{
    public static MemoryWrite Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException("each line must be a JSON object");
        }

        return new MemoryWrite(
            MemoryId: String(root, "memory_id") ?? throw new CliInputException("memory_id is missing"),
            Content: String(root, "content") ?? string.Empty,
            MemoryType: String(root, "memory_type") ?? MemoryTypes.Episodic,
            Importance: root.TryGetProperty("importance", out var importance) ? Number(importance, "importance") : 0.5,
            MetadataJson: root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind != JsonValueKind.Null ? metadata.GetRawText() : null,
            Embedding: root.TryGetProperty("embedding", out var embedding) && embedding.ValueKind != JsonValueKind.Null ? Vector(embedding) : null,
            AgentId: String(root, "agent_id") ?? MemoryWrite.DefaultAgent);
    }

    private static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new CliInputException($"{name} must be a string");
    }

    private static double Number(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new CliInputException($"{name} must be a number");

    private static float[] Vector(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new CliInputException("embedding must be an array of numbers");
        }

        return value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number
            ? item.GetSingle()
            : throw new CliInputException("embedding must be an array of numbers")).ToArray();
    }
}
