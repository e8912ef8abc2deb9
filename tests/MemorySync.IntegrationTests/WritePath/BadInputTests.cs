using MemorySync.IntegrationTests.Cluster;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.WritePath;

[Collection(ClusterCollection.Name)]
public sealed class BadInputTests(ClusterFixture fixture)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "empty-content", "content" },
        { "whitespace-content", "content" },
        { "oversized-content", "content" },
        { "nul-in-content", "content" },
        { "unknown-type", "memory_type" },
        { "importance-above-one", "importance" },
        { "importance-negative", "importance" },
        { "importance-nan", "importance" },
        { "metadata-array", "metadata" },
        { "metadata-not-json", "metadata" },
        { "metadata-oversized", "metadata" },
        { "embedding-too-short", "embedding" },
        { "embedding-nan", "embedding" },
        { "embedding-infinity", "embedding" },
        { "agent-with-space", "agent_id" },
        { "agent-sql-metacharacters", "agent_id" },
        { "strategy-undefined", "strategy" },
        { "mode-undefined", "mode" },
        { "base-version-negative", "base_version" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Upsert_WithBadInput_FailsNamingTheField_AndWritesNothingAnywhere(string scenario, string field)
    {
        var id = $"bad-{scenario}-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(scenario.Length));
        var write = Corrupt(scenario, new MemoryWrite(id, "A perfectly fine memory.", MemoryTypes.Semantic, 0.5, """{"ok":true}""", vector));

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => fixture.Cluster.GrainFactory.GetGrain<IMemoryGrain>(id).UpsertAsync(write));

        Assert.Equal(field, error.Field);
        Assert.StartsWith($"{field}: ", error.Message, StringComparison.Ordinal);
        await AssertNothingStoredAsync(id, vector);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("quote'--")]
    [InlineData("crlf\r\nSET x 1")]
    [InlineData("star*")]
    public async Task Upsert_WithAnIdOutsideTheCharset_IsRefusedAndStoresNothing(string id)
    {
        var vector = TestVectors.Unit(new Random(id.Length));

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            fixture.Cluster.GrainFactory.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "content", Embedding: vector)));

        Assert.Equal("memory_id", error.Field);
        await AssertNothingStoredAsync(id, vector);
    }

    [Fact]
    public async Task Upsert_WithAnOverlongId_IsRefused()
    {
        var id = new string('a', 129);

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            fixture.Cluster.GrainFactory.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "content", Embedding: TestVectors.Unit(new Random(1)))));

        Assert.Equal("memory_id", error.Field);
        Assert.Null(await fixture.Stores.PostgresAsync(id));
    }

    [Fact]
    public async Task Content_WithSqlAndRedisMetacharacters_IsStoredAsPlainData()
    {
        var id = $"meta-{Guid.NewGuid():N}";
        const string content = "'; DROP TABLE episodic_memory; -- \r\n*3\r\n$3\r\nDEL\r\n\"quoted\" {json} \\ back";

        var stored = await fixture.Cluster.GrainFactory.GetGrain<IMemoryGrain>(id)
            .UpsertAsync(new MemoryWrite(id, content, Embedding: TestVectors.Unit(new Random(8))));

        Assert.Equal(content, (await fixture.Stores.RedisAsync(id))!["content"]);
        Assert.Equal(stored.Checksum, (await fixture.Stores.PostgresAsync(id))!.Checksum);
    }

    private static MemoryWrite Corrupt(string scenario, MemoryWrite valid) => scenario switch
    {
        "empty-content" => valid with { Content = string.Empty },
        "whitespace-content" => valid with { Content = "  \t\n" },
        "oversized-content" => valid with { Content = new string('x', 64 * 1024 + 1) },
        "nul-in-content" => valid with { Content = "nul\0byte" },
        "unknown-type" => valid with { MemoryType = "dream" },
        "importance-above-one" => valid with { Importance = 1.5 },
        "importance-negative" => valid with { Importance = -0.1 },
        "importance-nan" => valid with { Importance = double.NaN },
        "metadata-array" => valid with { MetadataJson = "[1,2,3]" },
        "metadata-not-json" => valid with { MetadataJson = "{not json" },
        "metadata-oversized" => valid with { MetadataJson = $$"""{"blob":"{{new string('m', 17 * 1024)}}"}""" },
        "embedding-too-short" => valid with { Embedding = valid.Embedding![..383] },
        "embedding-nan" => valid with { Embedding = [.. valid.Embedding![..383], float.NaN] },
        "embedding-infinity" => valid with { Embedding = [float.PositiveInfinity, .. valid.Embedding![1..]] },
        "agent-with-space" => valid with { AgentId = "agent one" },
        "agent-sql-metacharacters" => valid with { AgentId = "a'); DELETE FROM episodic_memory;--" },
        "strategy-undefined" => valid with { Strategy = (ConflictStrategy)7 },
        "mode-undefined" => valid with { Mode = (SyncMode)9 },
        "base-version-negative" => valid with { BaseVersion = -1 },
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such scenario"),
    };

    private async Task AssertNothingStoredAsync(string id, float[] vector)
    {
        Assert.Null(await fixture.Stores.PostgresAsync(id));
        foreach (var table in new[] { "memory_versions", "sync_transactions", "sync_queue" })
        {
            Assert.Equal(0, await fixture.Stores.CountRowsAsync(table, id));
        }

        Assert.Null(await fixture.Stores.RedisAsync(id));
        var hits = await fixture.Cluster.GrainFactory.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(Embedding: vector, K: 10));
        Assert.DoesNotContain(hits, hit => hit.MemoryId == id);
    }
}
