using MemorySync.IntegrationTests.Cluster;
using MemorySync.Testing;
using Orleans.Core.Internal;

namespace MemorySync.IntegrationTests.WritePath;

[Collection(ClusterCollection.Name)]
public sealed class WritePathTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private StoreReader Stores => fixture.Stores;

    private static string NewId(string what) => $"{what}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Put_IsInAllThreeStores_WithTheSameVersionAndChecksum()
    {
        var id = NewId("put");
        var vector = TestVectors.Unit(new Random(1));

        var stored = await Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(
            new MemoryWrite(id, "The user prefers aisle seats on long flights.", MemoryTypes.Semantic, 0.7, """{"topic":"travel","b":1}""", vector, "travel-agent"));

        var row = await Stores.PostgresAsync(id);
        var redis = await Stores.RedisAsync(id);
        Assert.NotNull(row);
        Assert.NotNull(redis);
        Assert.Equal(1, row.Version);
        Assert.Equal("1", redis["version"]);
        Assert.Equal(stored.Checksum, row.Checksum);
        Assert.Equal(stored.Checksum, redis["checksum"]);
        Assert.Equal("The user prefers aisle seats on long flights.", redis["content"]);
        var faiss = await Stores.FaissAsync(id, row.Label);
        Assert.Equal(1, faiss.Occurrences);
        Assert.Equal(vector, faiss.Vector);
        Assert.Equal(new StoreVersions(1, 1, 1), stored.StoreVersions);
        Assert.Contains("\"faiss\": 1", row.StoreVersions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_BumpsTheVersionEverywhere_AndLeavesExactlyOneVector()
    {
        var id = NewId("update");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var first = TestVectors.Unit(new Random(2));
        var second = TestVectors.Unit(new Random(3));
        await grain.UpsertAsync(new MemoryWrite(id, "Miso the cat sleeps on the windowsill.", Embedding: first));

        var updated = await grain.UpsertAsync(new MemoryWrite(id, "Miso the cat now sleeps on the sofa.", Embedding: second));

        var row = await Stores.PostgresAsync(id);
        var redis = await Stores.RedisAsync(id);
        Assert.Equal(2, updated.Version);
        Assert.Equal(2, row!.Version);
        Assert.Equal("2", redis!["version"]);
        Assert.Equal(updated.Checksum, redis["checksum"]);
        var faiss = await Stores.FaissAsync(id, row.Label);
        Assert.Equal(1, faiss.Occurrences);
        Assert.Equal(second, faiss.Vector);
        var hitsForOldVector = await Grains.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(Embedding: first, K: 50));
        Assert.True(hitsForOldVector.Count(hit => hit.MemoryId == id) <= 1, "a memory must never appear twice in results");
    }

    [Fact]
    public async Task Delete_RemovesFromRedisFaissAndSearch_ButHistoryKeepsIt()
    {
        var id = NewId("delete");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var vector = TestVectors.Unit(new Random(4));
        await grain.UpsertAsync(new MemoryWrite(id, "A memory that will be forgotten.", Embedding: vector));
        var label = (await Stores.PostgresAsync(id))!.Label;

        var tombstone = await grain.DeleteAsync();

        Assert.NotNull(tombstone);
        Assert.True(tombstone.Deleted);
        Assert.Equal(2, tombstone.Version);
        Assert.Null(await grain.GetAsync());
        Assert.Null(await Stores.RedisAsync(id));
        Assert.Equal(0, (await Stores.FaissAsync(id, label)).Occurrences);
        var hits = await Grains.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(Embedding: vector, K: 20));
        Assert.DoesNotContain(hits, hit => hit.MemoryId == id);
        var row = await Stores.PostgresAsync(id);
        Assert.True(row!.Deleted);
        var history = await grain.HistoryAsync();
        Assert.Equal([1L, 2L], history.Select(entry => entry.Version));
        Assert.False(history[0].Deleted);
        Assert.True(history[1].Deleted);
        Assert.Equal("A memory that will be forgotten.", history[0].Content);
    }

    [Fact]
    public async Task TextSearch_RanksTheSemanticallyClosestMemoryFirst()
    {
        var agent = NewId("agent")[..30];
        var memories = new[]
        {
            ("cat", "The user's cat, Miso, sleeps on the windowsill every afternoon."),
            ("revenue", "Quarterly revenue grew 12 percent on strong cloud sales."),
            ("deploy", "Deploy the service with a blue-green rollout on Fridays."),
            ("lisbon", "The user flies to Lisbon on the 14th of March for a conference."),
        };
        foreach (var (name, content) in memories)
        {
            var id = $"{agent}-{name}";
            await Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, content, MemoryTypes.Semantic, AgentId: agent));
        }

        var hits = await Grains.GetGrain<ISearchGrain>(0).SearchAsync(
            new SearchRequest(Text: "What kind of animal does the user keep at home?", K: 3, AgentId: agent));

        Assert.Equal(3, hits.Count);
        Assert.Equal($"{agent}-cat", hits[0].MemoryId);
        Assert.Equal("The user's cat, Miso, sleeps on the windowsill every afternoon.", hits[0].Content);
        Assert.All(hits, hit => Assert.StartsWith(agent, hit.MemoryId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchWithinAnAgentAndType_ReturnsOnlyThoseMemories()
    {
        var agent = NewId("scope")[..30];
        var vector = TestVectors.Unit(new Random(9));
        await Grains.GetGrain<IMemoryGrain>($"{agent}-a").UpsertAsync(new MemoryWrite($"{agent}-a", "procedure", MemoryTypes.Procedural, Embedding: vector, AgentId: agent));
        await Grains.GetGrain<IMemoryGrain>($"{agent}-b").UpsertAsync(new MemoryWrite($"{agent}-b", "episode", MemoryTypes.Episodic, Embedding: vector, AgentId: agent));

        var hits = await Grains.GetGrain<ISearchGrain>(0).SearchAsync(
            new SearchRequest(Embedding: vector, K: 10, AgentId: agent, MemoryTypes: [MemoryTypes.Procedural]));

        Assert.Equal([$"{agent}-a"], hits.Select(hit => hit.MemoryId));
    }

    [Fact]
    public async Task Activation_AfterDeactivation_RestoresTheMemoryFromPostgres()
    {
        var id = NewId("reactivate");
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var written = await grain.UpsertAsync(new MemoryWrite(id, "Remember me.", Embedding: TestVectors.Unit(new Random(5)), MetadataJson: """{"z":1,"a":[1,2],"e":1e2,"s":1.50}"""));

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var restored = await Eventually.ReturnsAsync(grain.GetAsync, record => record is not null, TimeSpan.FromSeconds(10), "readable");

        Assert.Equal(written.Version, restored!.Version);
        Assert.Equal(written.Checksum, restored.Checksum);
        Assert.Equal("Remember me.", restored.Content);
        Assert.Equal("""{"a":[1,2],"e":100,"s":1.50,"z":1}""", restored.MetadataJson);
        Assert.Equal(written.MetadataJson, restored.MetadataJson);
        Assert.Equal(restored.Checksum, MemorySync.Model.MemoryChecksum.Of(restored));
        var next = await grain.UpsertAsync(new MemoryWrite(id, "Remember me, version two.", Embedding: TestVectors.Unit(new Random(6))));
        Assert.Equal(2, next.Version);
    }

    [Fact]
    public async Task Get_OfAMemoryThatNeverExisted_IsNotFound()
    {
        Assert.Null(await Grains.GetGrain<IMemoryGrain>(NewId("never")).GetAsync());
        Assert.Empty(await Grains.GetGrain<IMemoryGrain>(NewId("never")).HistoryAsync());
    }
}
