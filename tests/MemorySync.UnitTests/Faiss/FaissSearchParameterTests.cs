using MemorySync.Faiss;

namespace MemorySync.UnitTests.Faiss;

public sealed class FaissSearchParameterTests
{
    [Fact]
    public void ParseList_ReadsCommaSeparatedNameValuePairs()
    {
        var parameters = FaissSearchParameter.ParseList(" nprobe=16, max_codes = 2.5e3 ");

        Assert.Equal([new FaissSearchParameter("nprobe", 16), new FaissSearchParameter("max_codes", 2500)], parameters);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseList_OfNothing_IsNoParameter(string? text)
    {
        Assert.Empty(FaissSearchParameter.ParseList(text));
    }

    [Theory]
    [InlineData("nprobe")]
    [InlineData("nprobe=sixteen")]
    [InlineData("=16")]
    [InlineData("nprobe=16,")]
    [InlineData("nprobe=NaN")]
    public void ParseList_OfAMalformedPart_QuotesIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => FaissSearchParameter.ParseList(text));

        Assert.Contains("is not name=number", error.Message, StringComparison.Ordinal);
    }
}
