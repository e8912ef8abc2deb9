using System.Globalization;
using System.Text;
using CsCheck;
using MemorySync.Testing;

namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// A <c>memsync put</c> with one thing wrong, as raw argument bytes; <paramref name="Expected"/> is what the error line
/// must say: the refused field, or the option whose value is wrong.
/// </summary>
internal sealed record BadCliPut(string Expected, string Description, IReadOnlyList<byte[]> Arguments)
{
    public override string ToString() => Description;
}

/// <summary>
/// CsCheck generators of bad <c>memsync put</c> command lines: every bad write of <see cref="BadWrites"/> that a command
/// line can carry, values the command line cannot parse, and option values that are not UTF-8 at all.
/// </summary>
internal static class BadCliPuts
{
    // Byte sequences no UTF-8 decoder may accept: bytes that never occur, a lone continuation byte, a lead byte
    // without its continuation, overlong forms, an encoded surrogate (CESU-8), a code point past U+10FFFF.
    internal static readonly byte[][] InvalidSequences =
    [
        [0xFF], [0xFE], [0x80], [0xC3, 0x28], [0xE2, 0x82], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] TextOptions = ["--id", "--content", "--agent", "--type", "--metadata"];

    // Bad writes the client API refuses, through the command line; a NUL cannot be in an argument, and an unpaired
    // surrogate would reach the CLI as U+FFFD (the invalid bytes below are the command line's form of it).
    private static readonly Gen<BadCliPut> RefusedWrites =
        from bad in BadWrites.OfMemoryFields
        where bad.HasUtf8Form && PutArguments(bad.Write).All(argument => !argument.Contains((byte)0))
        select new BadCliPut($"error: {bad.Field}: ", bad.Description, PutArguments(bad.Write));

    private static readonly Gen<BadCliPut> NotUtf8 =
        from option in Gen.OneOf(TextOptions)
        from sequence in Gen.OneOf(InvalidSequences)
        from before in Gen.String[Gen.Char.AlphaNumeric, 0, 10]
        from after in Gen.String[Gen.Char.AlphaNumeric, 0, 10]
        select WithBytes(option, [.. Encoding.UTF8.GetBytes(before), .. sequence, .. Encoding.UTF8.GetBytes(after)]);

    private static readonly Gen<BadCliPut> Unparsable = Gen.OneOf(
        from value in Gen.OneOf("abc", "", "0.5.5", "half", "0,5")
        select WithOption("--importance", value),
        from value in Gen.OneOf("1,x", ",", "0.1;0.2", "[0.1]", "1,,2")
        select WithOption("--embedding", value),
        from value in Gen.OneOf("Foo", "latest", "0x1", "7", "1", "LatestWins,Merge", "Merge,Manual")
        select WithOption("--strategy", value),
        from value in Gen.OneOf("abc", "1.5", "", "9999999999999999999999")
        select WithOption("--base-version", value),
        from value in Gen.Long[-1_000_000, -1]
        select WithOption("--base-version", value.ToString(CultureInfo.InvariantCulture)) with { Expected = "error: base_version: " });

    /// <summary>Any one of the bad command lines above.</summary>
    public static Gen<BadCliPut> Any { get; } = Gen.OneOf(RefusedWrites, NotUtf8, Unparsable);

    private static BadCliPut WithOption(string option, string value) =>
        new(option, $"{option} '{value}'", [.. PutArguments(Valid()), .. new[] { option, value }.Select(Encoding.UTF8.GetBytes)]);

    // A valid put whose option value is replaced by the bytes given (inside a JSON string, for the metadata).
    private static BadCliPut WithBytes(string option, byte[] value)
    {
        var arguments = PutArguments(Valid());
        var at = arguments.FindIndex(argument => argument.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(option))) + 1;
        arguments[at] = option == "--metadata" ? [.. "{\"k\":\""u8, .. value, .. "\"}"u8] : value;
        return new BadCliPut($"error: the value of {option} is not valid UTF-8", $"{option} {Convert.ToHexString(value)}", arguments);
    }

    private static MemoryWrite Valid() =>
        new($"bad-{Guid.NewGuid():N}", "A perfectly fine memory.", MemoryTypes.Semantic, 0.5, """{"ok":true}""", TestVectors.Unit(Random.Shared));

    private static List<byte[]> PutArguments(MemoryWrite write)
    {
        var arguments = new List<string>
        {
            "put", "--json", "--id", write.MemoryId, "--content", write.Content, "--type", write.MemoryType,
            "--importance", write.Importance.ToString("R", CultureInfo.InvariantCulture), "--agent", write.AgentId,
        };
        if (write.MetadataJson is { } metadata)
        {
            arguments.AddRange(["--metadata", metadata]);
        }

        if (write.Embedding is { } embedding)
        {
            arguments.AddRange(["--embedding", string.Join(',', embedding.Select(value => value.ToString("R", CultureInfo.InvariantCulture)))]);
        }

        return [.. arguments.Select(Encoding.UTF8.GetBytes)];
    }
}
