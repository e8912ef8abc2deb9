using MemorySync.Model;

namespace MemorySync.UnitTests.Consistency;

/// <summary>The Redis key carries the memory's sweep range, so a partition's SCAN can select its keys by pattern.</summary>
public sealed class RedisKeySchemeTests
{
    [Fact]
    public void AMemoryKey_CarriesTheRangeOfItsId()
    {
        var range = SweepHash.RangeOf("note-42");
        Assert.Equal($"memsync:m:{range:x3}:note-42", RedisKeyScheme.MemoryKey("memsync", "note-42"));
    }

    [Theory]
    [InlineData(0, 4096, "p:m:???:*")]
    [InlineData(768, 1024, "p:m:[3]??:*")]
    [InlineData(1024, 2048, "p:m:[4567]??:*")]
    [InlineData(1365, 2730, "p:m:[56789a]??:*")]
    public void APartitionsPattern_CoversItsRangesByLeadingDigit(int first, int end, string pattern) =>
        Assert.Equal(pattern, RedisKeyScheme.PatternFor("p", first, end));

    [Fact]
    public void EveryKeyOfARange_MatchesThePatternOfItsPartition()
    {
        for (var partitions = 1; partitions <= 20; partitions++)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                var first = partition * SweepHash.RangeCount / partitions;
                var end = (partition + 1) * SweepHash.RangeCount / partitions;
                var pattern = RedisKeyScheme.PatternFor("p", first, end);
                foreach (var range in new[] { first, (first + end) / 2, end - 1 })
                {
                    var leading = $"{range:x3}"[0];
                    Assert.True(pattern.Contains(leading, StringComparison.Ordinal) || pattern.StartsWith("p:m:?", StringComparison.Ordinal),
                        $"range {range} of partition {partition}/{partitions} is outside {pattern}");
                }
            }
        }
    }
}
