using System.Text;
using System.Text.Json;

namespace MemorySync.Memories;

/// <summary>
/// One spelling per JSON value: object keys sorted by ordinal order (recursively), no whitespace, numbers exactly as
/// written, strings escaped by System.Text.Json's default encoder. Two equal objects always give the same text.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>The canonical text of a JSON document.</summary>
    public static string Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Write(document.RootElement);
    }

    public static string Write(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, element);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
