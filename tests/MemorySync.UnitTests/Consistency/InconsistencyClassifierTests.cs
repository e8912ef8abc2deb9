using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MemorySync.Consistency;
using MemorySync.Model;

namespace MemorySync.UnitTests.Consistency;

/// <summary>How one memory's copies are judged against PostgreSQL's row.</summary>
public sealed class InconsistencyClassifierTests
{
    private const string Id = "m-1";

    private static readonly TruthRow Live = new(Id, 3, Checksum("hello"), Deleted: false, Label: 17, Indexable: true, Range: SweepHash.RangeOf(Id));

    [Fact]
    public void AnIntactCopyOfTheCurrentVersion_IsConsistent() =>
        Assert.Empty(InconsistencyClassifier.Classify(Live, Copy("hello", 3), [new IndexedMemory(Id, 17, 3)], true, true));

    [Theory]
    [InlineData("missing")]
    [InlineData("behind")]
    [InlineData("ahead")]
    [InlineData("edited")]
    [InlineData("other checksum")]
    public void ARedisCopyThatIsNotTheCurrentVersionIntact_Differs(string damage)
    {
        var copy = damage switch
        {
            "missing" => null,
            "behind" => Copy("hello", 2),
            "ahead" => Copy("hello", 4),
            "edited" => Copy("hello", 3) with { Intact = false },
            _ => Copy("goodbye", 3),
        };
        Assert.Equal(["redis"], InconsistencyClassifier.Classify(Live, copy, [new IndexedMemory(Id, 17, 3)], true, true));
    }

    [Fact]
    public void CopiesOfADeletedOrUnknownMemory_AreOrphans()
    {
        var deleted = Live with { Deleted = true };
        Assert.Equal(["redis", "faiss"], InconsistencyClassifier.Classify(deleted, Copy("hello", 3), [new IndexedMemory(Id, 17, 3)], true, true));
        Assert.Equal(["redis", "faiss"], InconsistencyClassifier.Classify(null, Copy("hello", 1), [new IndexedMemory(Id, 99, 1)], true, true));
        Assert.Empty(InconsistencyClassifier.Classify(deleted, null, [], true, true));
    }

    [Fact]
    public void IndexEntries_MustBeExactlyOneAtTheCurrentVersionAndLabel()
    {
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live, Copy("hello", 3), [], true, true));
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live, Copy("hello", 3), [new IndexedMemory(Id, 17, 2)], true, true));
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live, Copy("hello", 3), [new IndexedMemory(Id, 18, 3)], true, true));
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live, Copy("hello", 3),
            [new IndexedMemory(Id, 17, 3), new IndexedMemory(Id, 18, 3)], true, true));
        // A memory without a vector of the index's dimension should not be indexed at all.
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live with { Indexable = false }, Copy("hello", 3), [new IndexedMemory(Id, 17, 3)], true, true));
    }

    [Fact]
    public void OnlyTheStoresWhoseDigestsDiffered_AreJudged() =>
        Assert.Equal(["faiss"], InconsistencyClassifier.Classify(Live, null, [], checkRedis: false, checkFaiss: true));

    [Fact]
    public void RedisCopy_IsIntactOnlyWhenSealAndChecksumBothHold()
    {
        var fields = SealedFields("hello", 3);
        Assert.True(RedisCopy.From(Id, fields).Intact);

        var edited = new Dictionary<string, string>(fields) { ["content"] = "edited by hand" };
        Assert.False(RedisCopy.From(Id, edited).Intact);

        // Edited and sealed again (as a buggy writer would): the seal holds, the checksum does not.
        var resealed = Seal(new Dictionary<string, string>(fields) { ["content"] = "edited by hand" });
        Assert.False(RedisCopy.From(Id, resealed).Intact);

        Assert.False(RedisCopy.From("another-id", fields).Intact);
        Assert.False(RedisCopy.From(Id, new Dictionary<string, string>(fields) { ["seal"] = "" }).Intact);
    }

    private static RedisCopy Copy(string content, long version) => new(version, Checksum(content), Intact: true);

    private static string Checksum(string content) => MemoryChecksum.Compute(Id, "default", content, "episodic", 0.5, "{}", deleted: false);

    private static Dictionary<string, string> SealedFields(string content, long version) => Seal(new Dictionary<string, string>
    {
        ["memory_id"] = Id,
        ["agent_id"] = "default",
        ["content"] = content,
        ["memory_type"] = "episodic",
        ["importance"] = 0.5.ToString("R", CultureInfo.InvariantCulture),
        ["metadata"] = "{}",
        ["checksum"] = Checksum(content),
        ["version"] = version.ToString(CultureInfo.InvariantCulture),
        ["embedding_model"] = "caller",
    });

    // The seal as the Redis write script computes it: SHA-1 of the sealed fields joined by NUL.
    private static Dictionary<string, string> Seal(Dictionary<string, string> fields)
    {
        string[] order = ["memory_id", "agent_id", "content", "memory_type", "importance", "metadata", "checksum", "version", "embedding_model"];
        var joined = string.Join('\0', order.Select(field => fields[field]));
        fields["seal"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(joined)));
        return fields;
    }
}
