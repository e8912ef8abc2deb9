extern alias cli;

using cli::MemorySync.Cli.Bench;

namespace MemorySync.UnitTests.Cli;

/// <summary>The p50 difference a bench row prints: one sign, two places, whatever the value rounds to.</summary>
public sealed class SignedMillisecondsTests
{
    [Theory]
    [InlineData(0.3149, "+0.31")]
    [InlineData(-0.3151, "-0.32")]
    [InlineData(0.0, "+0.00")]
    [InlineData(-0.004, "+0.00")]
    [InlineData(0.004, "+0.00")]
    [InlineData(-0.005001, "-0.01")]
    public void ADifference_PrintsWithOneSign(double milliseconds, string printed) =>
        Assert.Equal(printed, BenchTable.SignedMilliseconds(milliseconds));

    [Fact]
    public void NoDifference_PrintsNothing() => Assert.Equal("", BenchTable.SignedMilliseconds(null));
}
