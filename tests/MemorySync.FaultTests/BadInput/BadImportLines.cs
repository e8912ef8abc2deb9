using System.Text;
using System.Text.Json;
using CsCheck;

namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// One bad line of an import file: its bytes, and what its error must say: <paramref name="MemoryId"/> is the error's
/// memory_id (the line's own id when the silo refused a field, else "line N", filled in when the file is laid out) and
/// <paramref name="Expected"/> how the error text starts or what it contains.
/// </summary>
internal sealed record BadImportLine(string? MemoryId, string Expected, string Description, byte[] Bytes)
{
    public override string ToString() => Description;
}

/// <summary>
/// CsCheck generators of bad import lines: lines that are not UTF-8, not JSON, JSON of the wrong shape, and memories
/// the silo refuses (every bad write of <see cref="BadWrites"/> that JSON can carry).
/// </summary>
internal static class BadImportLines
{
    private static readonly Gen<BadImportLine> NotUtf8 =
        from sequence in Gen.OneOf(BadCliPuts.InvalidSequences)
        select new BadImportLine(null, "not valid UTF-8", $"content with bytes {Convert.ToHexString(sequence)}",
            [.. Encoding.UTF8.GetBytes($$"""{"memory_id":"imp-{{Guid.NewGuid():N}}","content":"before """), .. sequence, .. " after\"}"u8]);

    private static readonly Gen<BadImportLine> NotJson =
        from text in Gen.OneOf("{\"memory_id\":", "{\"memory_id\":\"x\",\"content\":\"y\"", "not json", "{'memory_id':'x'}", "{\"a\" 1}")
        select Line(null, string.Empty, $"not JSON: {text}", text);

    private static readonly Gen<BadImportLine> WrongShape = Gen.OneOf(
        from text in Gen.OneOf("[1,2,3]", "\"a memory\"", "42", "null")
        select Line(null, "each line must be a JSON object", $"not an object: {text}", text),
        Gen.Const(Line(null, "memory_id is missing", "no memory_id", """{"content":"no id"}""")),
        Gen.Const(Line(null, "memory_id must be a string", "a numeric memory_id", """{"memory_id":5,"content":"x"}""")),
        Gen.Const(Line(null, "importance must be a number", "importance as text", """{"memory_id":"imp-x","content":"x","importance":"high"}""")),
        Gen.Const(Line(null, "embedding must be an array of numbers", "embedding as text", """{"memory_id":"imp-x","content":"x","embedding":"1,2"}""")));

    // JSON has no NaN or infinity, and a write with metadata that is not JSON makes its whole line not JSON: those are
    // refused by the CLI by line number; every other bad write reaches the silo, which names the field.
    private static readonly Gen<BadImportLine> RefusedWrites =
        from bad in BadWrites.OfMemoryFields
        where double.IsFinite(bad.Write.Importance) && bad.Write.Embedding!.All(float.IsFinite) && bad.HasUtf8Form
        select IsJson(bad.Write.MetadataJson)
            ? new BadImportLine(bad.Write.MemoryId, $"{bad.Field}: ", bad.Description, JsonLine(bad.Write))
            : new BadImportLine(null, string.Empty, bad.Description, JsonLine(bad.Write));

    // An escaped lone surrogate is valid JSON but no string: the CLI refuses the line.
    private static readonly Gen<BadImportLine> LoneSurrogate =
        from escape in Gen.OneOf("\\ud800", "\\udfff", "\\ud83d")
        select Line(null, string.Empty, $"content with the escape {escape}", $$"""{"memory_id":"imp-{{Guid.NewGuid():N}}","content":"before{{escape}}after"}""");

    /// <summary>Any one of the bad lines above.</summary>
    public static Gen<BadImportLine> Any { get; } = Gen.OneOf(NotUtf8, NotJson, WrongShape, RefusedWrites, LoneSurrogate);

    private static BadImportLine Line(string? memoryId, string expected, string description, string text) =>
        new(memoryId, expected, description, Encoding.UTF8.GetBytes(text));

    private static bool IsJson(string? text)
    {
        try
        {
            using var document = JsonDocument.Parse(text ?? "null");
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] JsonLine(MemoryWrite write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("memory_id", write.MemoryId);
            json.WriteString("content", write.Content);
            json.WriteString("memory_type", write.MemoryType);
            json.WriteNumber("importance", write.Importance);
            json.WriteString("agent_id", write.AgentId);
            if (write.MetadataJson is { } metadata)
            {
                json.WritePropertyName("metadata");
                json.WriteRawValue(metadata, skipInputValidation: true);
            }

            if (write.Embedding is { } embedding)
            {
                json.WriteStartArray("embedding");
                foreach (var value in embedding)
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
