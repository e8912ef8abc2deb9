using System.Text.Json;
using System.Text.Json.Nodes;
using MemorySync.Documents;

namespace MemorySync.Cli;

/// <summary>The CLI's JSON documents for memories: the same documents the HTTP API and the MCP tools answer with.</summary>
internal static class MemoryDocuments
{
    public static JsonNode Memory(MemoryRecord record) => Node(MemoryDocument.From(record));

    public static JsonNode History(IReadOnlyList<MemoryHistoryEntry> history) => Node(HistoryEntryDocument.From(history));

    public static string Write(JsonNode node) => node.ToJsonString(MemorySyncJson.Options);

    private static JsonNode Node<T>(T document) => JsonSerializer.SerializeToNode(document, MemorySyncJson.Options)!;
}
