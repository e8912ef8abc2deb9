using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MemorySync.Model;

/// <summary>
/// The checksum of a memory version: SHA-256, lower-case hex, of the UTF-8 bytes of this canonical JSON object
/// (keys in this order, no whitespace):
/// <c>{"memory_id":…,"agent_id":…,"content":…,"memory_type":…,"importance":…,"metadata":…,"deleted":…}</c>
/// where importance is written in .NET's shortest round-trip form ("R", invariant culture), metadata is the canonical
/// JSON of the metadata object (keys sorted by ordinal, no whitespace), and deleted is true only for a tombstone.
/// Any store's copy can be re-checked by rebuilding this text from its fields (docs/checksum.md).
/// </summary>
internal static class MemoryChecksum
{
    public static string Compute(string memoryId, string agentId, string content, string memoryType, double importance,
        string canonicalMetadata, bool deleted)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("memory_id", memoryId);
            writer.WriteString("agent_id", agentId);
            writer.WriteString("content", content);
            writer.WriteString("memory_type", memoryType);
            writer.WritePropertyName("importance");
            writer.WriteRawValue(importance.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
            writer.WritePropertyName("metadata");
            writer.WriteRawValue(canonicalMetadata, skipInputValidation: true);
            writer.WriteBoolean("deleted", deleted);
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    public static string Of(MemoryRecord record) =>
        Compute(record.MemoryId, record.AgentId, record.Content, record.MemoryType, record.Importance,
            CanonicalJson.Parse(record.MetadataJson), record.Deleted);

}
