using MemorySync.Model;

namespace MemorySync.UnitTests.Memories;

public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{ "b": 1, "a": {"d": [3, 1], "c": true} }""", """{"a":{"c":true,"d":[3,1]},"b":1}""")]
    [InlineData("""{"n": 1e2, "m": 1.50, "z": -0, "f": 1.5e-3}""", """{"f":0.0015,"m":1.50,"n":100,"z":0}""")]
    [InlineData("""{"s": "caf\u00e9 \"q\""}""", """{"s":"caf\u00E9 \u0022q\u0022"}""")]
    public void Parse_GivesOneSpellingPerValue(string json, string canonical)
    {
        Assert.Equal(canonical, CanonicalJson.Parse(json));
    }

    [Fact]
    public void Parse_OfAnObjectWithARepeatedKey_Refuses()
    {
        var error = Assert.Throws<FormatException>(() => CanonicalJson.Parse("""{"a":1,"a":2}"""));

        Assert.Contains("\"a\" appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfANumberBeyondDecimal_Refuses()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Parse("""{"big":1e400}"""));
    }
}
