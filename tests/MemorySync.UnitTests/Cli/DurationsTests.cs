extern alias cli;

using cli::MemorySync.Cli;
using cli::MemorySync.Cli.Commands;

namespace MemorySync.UnitTests.Cli;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 15 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30d", 30 * 86400)]
    [InlineData("2w", 14 * 86400)]
    public void ADuration_ReadsAsPeopleTypeIt(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse("--expires", text));

    [Theory]
    [InlineData("soon")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("-3d")]
    [InlineData("0d")]
    [InlineData("3y")]
    [InlineData("1.5h")]
    [InlineData("999999d")]
    public void AnythingElse_IsRefusedNamingTheOption(string text)
    {
        var error = Assert.Throws<CliInputException>(() => Durations.Parse("--expires", text));
        Assert.StartsWith("--expires", error.Message, StringComparison.Ordinal);
    }
}
