using System.Text.Json;
using System.Text.Json.Nodes;

namespace MemorySync.Documents;

/// <summary>An open conflict as an operator decides on it (<c>memsync conflicts</c>, <c>GET /v1/conflicts</c>).</summary>
/// <param name="Current">The memory's side, without its vector.</param>
/// <param name="Incoming">The conflicting write's side, without its vector.</param>
public sealed record ConflictDocument(
    long ConflictId,
    string MemoryId,
    string Strategy,
    long? CurrentVersion,
    long? IncomingBaseVersion,
    JsonElement? Current,
    JsonElement? Incoming,
    string Reason,
    DateTimeOffset CreatedAt)
{
    public static ConflictDocument From(ConflictInfo conflict) => new(
        conflict.ConflictId, conflict.MemoryId, conflict.Strategy, conflict.CurrentVersion, conflict.IncomingVersion,
        Side(conflict.CurrentJson), Side(conflict.IncomingJson), conflict.Reason, conflict.CreatedAt);

    /// <summary>The content of a stored side, for a one-line summary.</summary>
    public static string ContentOf(JsonElement? side) =>
        side is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("content", out var content) ? content.GetString() ?? string.Empty : string.Empty;

    // The stored sides carry their vectors; the listing shows what a person decides on.
    private static JsonElement? Side(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var side = JsonNode.Parse(json)!.AsObject();
        side.Remove("embedding");
        return JsonSerializer.SerializeToElement(side);
    }
}
