using System.Globalization;
using CsCheck;
using MemorySync.Testing;

namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// CsCheck generators of <see cref="BadWrite"/>s: a valid write of a fresh id, then one field broken in one of the ways a
/// careless or hostile caller would break it (sizes, dimensions, NaN and infinities, unpaired surrogates, unknown
/// types, SQL and Redis-protocol metacharacters).
/// </summary>
internal static class BadWrites
{
    // Characters with a meaning to SQL, to the Redis protocol (RESP), to Lua, to JSON or to a shell, and outside the
    // id charset (so not '-', though SQL comments start with it).
    private const string Metacharacters = "'\";*$\r\n \\%{}[]()<>|&`\0";

    private const int MaxContentBytes = 64 * 1024;

    private const int MaxMetadataBytes = 16 * 1024;

    private const int MaxIdLength = 128;

    private static readonly Gen<string> Word = Gen.String[Gen.Char.AlphaNumeric, 1, 40];

    // A string holding at least one metacharacter, anywhere.
    private static readonly Gen<string> WithMetacharacter =
        from before in Gen.String[Gen.Char.AlphaNumeric, 0, 20]
        from meta in Gen.String[Gen.Char[Metacharacters], 1, 5]
        from after in Gen.String[Gen.Char[Metacharacters + "abc:.-_"], 0, 20]
        select before + meta + after;

    private static readonly Gen<BadWrite> BadIds = Gen.OneOf(
        from id in WithMetacharacter
        select Break("memory_id", $"id \"{id}\"", write => write with { MemoryId = id }),
        from length in Gen.Int[MaxIdLength + 1, 2000]
        select Break("memory_id", $"id of {length} characters", write => write with { MemoryId = new string('i', length) }));

    private static readonly Gen<BadWrite> BadAgents =
        from agent in WithMetacharacter
        select Break("agent_id", $"agent \"{agent}\"", write => write with { AgentId = agent });

    private static readonly Gen<BadWrite> BadContents = Gen.OneOf(
        from blanks in Gen.String[Gen.Char[" \t\r\n"], 0, 20]
        select Break("content", $"content of {blanks.Length} blanks", write => write with { Content = blanks }),
        from extra in Gen.Int[1, 4096]
        select Break("content", $"content {extra} bytes too long", write => write with { Content = new string('c', MaxContentBytes + extra) }),
        from text in Word
        from at in Gen.Int[0, 40]
        select Break("content", "content with an unpaired surrogate", write => write with { Content = text.Insert(Math.Min(at, text.Length), "\uD800") }));

    private static readonly Gen<BadWrite> BadTypes =
        from type in Word
        select Break("memory_type", $"type \"x-{type}\"", write => write with { MemoryType = "x-" + type });

    private static readonly Gen<BadWrite> BadImportances =
        from importance in Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.001, 1.001, -1e300, 1e300)
        select Break("importance", $"importance {importance.ToString(CultureInfo.InvariantCulture)}", write => write with { Importance = importance });

    private static readonly Gen<BadWrite> BadMetadata = Gen.OneOf(
        from extra in Gen.Int[1, 16 * 1024]
        select Break("metadata", $"metadata {extra} bytes too long",
            write => write with { MetadataJson = $$"""{"blob":"{{new string('m', MaxMetadataBytes + extra)}}"}""" }),
        from json in Gen.OneOf("[1,2,3]", "\"text\"", "42", "{not json", "{\"a\":", "{}}")
        select Break("metadata", $"metadata {json}", write => write with { MetadataJson = json }));

    private static readonly Gen<BadWrite> BadEmbeddings = Gen.OneOf(
        from length in Gen.OneOf(Gen.Int[1, TestVectors.Dimension - 1], Gen.Int[TestVectors.Dimension + 1, 4 * TestVectors.Dimension])
        from value in Gen.Float[-1, 1]
        select Break("embedding", $"embedding of {length} floats", write => write with { Embedding = Enumerable.Repeat(value, length).ToArray() }),
        from at in Gen.Int[0, TestVectors.Dimension - 1]
        from bad in Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity)
        select Break("embedding", $"embedding with {bad.ToString(CultureInfo.InvariantCulture)} at {at}", write =>
        {
            var vector = (float[])write.Embedding!.Clone();
            vector[at] = bad;
            return write with { Embedding = vector };
        }));

    // Enums travel as numbers: a caller may send one that names nothing.
    private static readonly Gen<BadWrite> BadSyncFields = Gen.OneOf(
        from strategy in Gen.Int[4, 1000]
        select Break("strategy", $"strategy {strategy}", write => write with { Strategy = (ConflictStrategy)strategy }),
        from mode in Gen.Int[2, 1000]
        select Break("mode", $"mode {mode}", write => write with { Mode = (SyncMode)mode }),
        from version in Gen.Long[long.MinValue, -1]
        select Break("base_version", $"base version {version}", write => write with { BaseVersion = version }));

    /// <summary>A bad write with one of its memory's own fields wrong (what the CLI and an import file can carry).</summary>
    public static Gen<BadWrite> OfMemoryFields { get; } = Gen.OneOf(BadIds, BadAgents, BadContents, BadTypes, BadImportances, BadMetadata, BadEmbeddings);

    /// <summary>Any one of the bad writes above.</summary>
    public static Gen<BadWrite> Any { get; } = Gen.OneOf(OfMemoryFields, BadSyncFields);

    private static BadWrite Break(string field, string description, Func<MemoryWrite, MemoryWrite> breakIt)
    {
        var valid = new MemoryWrite($"bad-{Guid.NewGuid():N}", "A perfectly fine memory.", MemoryTypes.Semantic, 0.5, """{"ok":true}""",
            TestVectors.Unit(Random.Shared));
        return new BadWrite(field, description, breakIt(valid));
    }
}
