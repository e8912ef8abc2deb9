extern alias cli;

using cli::MemorySync.Cli.Import;

namespace MemorySync.UnitTests.Cli;

/// <summary>What --resume and a retried batch count as already stored: the checksummed fields equal, metadata as JSON values.</summary>
public sealed class SameContentTests
{
    private static readonly MemoryWrite Line = new("m-1", "The user's dog is Bruno.", MemoryTypes.Semantic, 0.75, """{"b":1,"a":[1,2]}""");

    [Fact]
    public void AStoredCopy_WithMetadataSpelledDifferently_IsTheSame() =>
        Assert.True(SameContent.Holds(Stored(), Line));

    [Theory]
    [InlineData("content")]
    [InlineData("type")]
    [InlineData("importance")]
    [InlineData("metadata")]
    [InlineData("agent")]
    [InlineData("deleted")]
    public void AnyCheckedFieldThatDiffers_OrATombstone_IsNotTheSame(string field)
    {
        var stored = field switch
        {
            "content" => Stored() with { Content = "The user's dog is Rex." },
            "type" => Stored() with { MemoryType = MemoryTypes.Episodic },
            "importance" => Stored() with { Importance = 0.5 },
            "metadata" => Stored() with { MetadataJson = """{"a":[2,1],"b":1}""" },
            "agent" => Stored() with { AgentId = "other" },
            _ => Stored() with { Deleted = true },
        };

        Assert.False(SameContent.Holds(stored, Line));
    }

    [Fact]
    public void NothingStored_IsNotTheSame() => Assert.False(SameContent.Holds(null, Line));

    [Theory]
    [InlineData("PostgreSQL was unavailable (connection refused); retry once it is back", true)]
    [InlineData("Response did not arrive on time in 00:00:30 for message", true)]
    [InlineData("PostgreSQL did not take version 1 of memory m-1 (Exception while reading from stream); nothing was written to Redis or FAISS", true)]
    [InlineData("Unable to connect to endpoint S127.0.0.1:11111:123. See InnerException", true)]
    [InlineData("memory m-1 is at version 2, not 1 as this write expected; read it again and retry", true)]
    [InlineData("memory_type: 'dream' is not one of episodic, semantic, procedural, working", false)]
    [InlineData("memory_type: 'timeout unavailable' is not one of episodic, semantic, procedural, working", false)]
    public void ItemErrors_AreRetriedOnlyWhenTheyAreTheClustersFault(string error, bool transient) =>
        Assert.Equal(transient, TransientFailure.Is(error));

    private static MemoryRecord Stored() => new(
        "m-1", MemoryWrite.DefaultAgent, "The user's dog is Bruno.", MemoryTypes.Semantic, 0.75, """{"a": [1, 2], "b": 1}""", 1, "checksum",
        DateTimeOffset.UnixEpoch, new Dictionary<string, long>(), new StoreVersions(1, 1, 1), Deleted: false, EmbeddingModel: null, EmbeddingDimension: null);
}
