using System.Text;
using MemorySync.Batch;
using MemorySync.Configuration;
using MemorySync.Memories;
using MemorySync.Model;

namespace MemorySync.UnitTests.Memories;

public sealed class PerimeterUnitTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("user-42:note_7.v2")]
    [InlineData("Café ☕ 𝄞")]
    [InlineData("unpaired \ud800 surrogate")]
    public void ShardOf_HashesTheSameBytesAsEncodingUtf8(string id)
    {
        // The formula before the change, over Encoding.UTF8's bytes: shards must not move for any stored id.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        Assert.Equal((int)(hash % 7UL), IndexShards.ShardOf(id, 7));
    }

    [Fact]
    public void ShardOf_AThreeMillionCharacterId_NeedsNoStackBuffer() =>
        Assert.InRange(IndexShards.ShardOf(new string('k', 3_000_000), 4), 0, 3);

    [Fact]
    public void ClockFence_MeasuresAgainstThePhysicalClock_SoAcceptedStampsDoNotMoveTheLimit()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000_000));
        var clock = new HybridLogicalClock(time);
        var fence = new ClockFence(clock, time, TimeSpan.FromSeconds(60));
        long Ahead(long ms) => (1_000_000_000 + ms) << 16;

        fence.Admit(Ahead(59_000));
        var refused = Assert.Throws<MemoryValidationException>(() => fence.Admit(Ahead(118_000)));

        Assert.Equal("timestamp", refused.Field);
        Assert.Contains("Memory:MaxClockSkew", refused.Message, StringComparison.Ordinal);
        fence.ObserveStored(Ahead(3_600_000));
        Assert.InRange(clock.Next() >> 16, 1_000_000_000 + 59_000, 1_000_000_000 + 60_000);
    }

    [Fact]
    public void BatchBounds_CountUtf8Bytes_NotCharacters()
    {
        var options = new MemoryOptions { MaxBatchItems = 10, MaxBatchBytes = 100 };
        BatchBounds.Require([new MemoryWrite("a", new string('x', 100))], options);

        var refused = Assert.Throws<MemoryValidationException>(() => BatchBounds.Require([new MemoryWrite("a", new string('é', 51))], options));
        Assert.Equal("memories", refused.Field);
        Assert.Contains("102 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Memory:MaxBatchBytes", refused.Message, StringComparison.Ordinal);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
