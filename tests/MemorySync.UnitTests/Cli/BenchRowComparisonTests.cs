extern alias cli;

using cli::MemorySync.Cli.Bench;

namespace MemorySync.UnitTests.Cli;

public sealed class BenchRowComparisonTests
{
    // Ten rounds where both sides ran alike, but in one round a burst from elsewhere on the machine slowed only the
    // baseline: a whole-row ratio credits the second side with that burst; the median over the pairs does not.
    [Fact]
    public void RowsMeasuredInAlternatingRounds_AreComparedByTheMedianOfTheirPairs()
    {
        var even = Enumerable.Repeat(new BenchRound(PerSecond: 200, P50Milliseconds: 4.0), 9).ToList();
        var baseline = Row("baseline", perSecond: 182, p50: 4.0, [new BenchRound(PerSecond: 40, P50Milliseconds: 20.0), .. even]);
        var measured = Row("measured", perSecond: 200, p50: 4.1, [.. even, new BenchRound(PerSecond: 200, P50Milliseconds: 4.0)]);

        var compared = measured.ComparedWith(baseline);

        Assert.Equal(10, compared.PairedRounds);
        Assert.Equal(1.0, compared.ThroughputRatio!.Value, precision: 9);
        Assert.Equal(0.0, compared.P50ExtraMilliseconds!.Value, precision: 9);
        Assert.Equal(1.0, compared.P50Ratio!.Value, precision: 9);
        // The p99 ratio stays a whole-row one: a round holds too few calls for its own p99.
        Assert.Equal(measured.P99Milliseconds / baseline.P99Milliseconds, compared.P99Ratio!.Value, precision: 9);
    }

    [Fact]
    public void ASlowerSideInEveryRound_ShowsInTheMedian()
    {
        var baseline = Row("baseline", perSecond: 200, p50: 4.0, [.. Enumerable.Range(0, 5).Select(i => new BenchRound(200 + i, 4.0 + (i * 0.1)))]);
        var measured = Row("measured", perSecond: 180, p50: 4.5, [.. Enumerable.Range(0, 5).Select(i => new BenchRound((200 + i) * 0.9, 4.5 + (i * 0.1)))]);

        var compared = measured.ComparedWith(baseline);

        Assert.Equal(0.9, compared.ThroughputRatio!.Value, precision: 9);
        Assert.Equal(0.5, compared.P50ExtraMilliseconds!.Value, precision: 9);
    }

    // A raw row runs once, so a row measured in rounds is compared with it as a whole.
    [Fact]
    public void RowsWithoutMatchingRounds_AreComparedAsWholeRows()
    {
        var raw = Row("raw", perSecond: 1000, p50: 1.0, [new BenchRound(1000, 1.0)]);
        var measured = Row("measured", perSecond: 250, p50: 4.0, [.. Enumerable.Repeat(new BenchRound(250, 4.0), 10)]);

        var compared = measured.ComparedWith(raw);

        Assert.Null(compared.PairedRounds);
        Assert.Equal(0.25, compared.ThroughputRatio!.Value, precision: 9);
        Assert.Equal(3.0, compared.P50ExtraMilliseconds!.Value, precision: 9);
    }

    private static BenchRow Row(string name, double perSecond, double p50, IReadOnlyList<BenchRound> rounds) =>
        new(name, Memories: 1000, perSecond, p50, P99Milliseconds: p50 * 4) { Rounds = rounds };
}
