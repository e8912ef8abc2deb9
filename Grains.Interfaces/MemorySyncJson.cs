using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MemorySync;

/// <summary>
/// The one JSON shape of MemorySync's documents (the CLI's --json output and the silo's endpoints): snake_case names,
/// enums as lower-case strings.
/// </summary>
public static class MemorySyncJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
        // Documents are read by people and tools, not embedded in HTML: keep '+', quotes and non-ASCII text as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
