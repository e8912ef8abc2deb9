using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MemorySync.Model;

/// <summary>
/// One spelling per JSON value: object keys sorted by ordinal order (recursively), no whitespace, numbers as decimals
/// without exponent (1e2 is 100, -0 is 0, 1.50 keeps its scale: the way PostgreSQL's jsonb prints them, so a copy read
/// back from PostgreSQL has the same text), strings escaped by System.Text.Json's default encoder. Two equal objects
/// always give the same text.
/// </summary>
/// <exception cref="FormatException">An object repeats a key, or a number does not fit a decimal.</exception>
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
                var properties = element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                for (var i = 1; i < properties.Count; i++)
                {
                    if (properties[i].Name == properties[i - 1].Name)
                    {
                        throw new FormatException($"the key \"{properties[i].Name}\" appears twice in one object");
                    }
                }

                foreach (var property in properties)
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
            case JsonValueKind.Number:
                if (!element.TryGetDecimal(out var number))
                {
                    throw new FormatException($"the number {element.GetRawText()} is out of range");
                }

                writer.WriteRawValue(number.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
