using MemorySync.Client;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Keys;
using MemorySync.Security;
using MemorySync.Testing;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>
/// Who may call what, tried with a stock Orleans client holding the cluster's own agent and operator certificates:
/// the agent-facing calls answer, operator calls answer operators only, and every internal method is refused to both
/// with nothing changed in any store, while the same methods keep working inside the cluster.
/// </summary>
[Collection(RunningSiloCollection.Name)]
public sealed class ClientCallFilterTests(RunningSiloFixture silo)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnAgent_WritesReadsAndSearches_ButIsRefusedOperatorCalls_AndEveryInternalOne_ChangingNothing()
    {
        var id = $"agent-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(7));
        await using var harness = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        var keys = (await harness.Operations.ListKeysAsync()).Count;
        await using var agent = await RawOrleansClient.ConnectAsAsync(silo, ClusterCertificates.Agent, ConnectTimeout);
        var memory = agent.Grains.GetGrain<IMemoryGrain>(id);
        var written = await memory.UpsertAsync(new MemoryWrite(id, "An agent may write its memories.", Embedding: vector));
        Assert.Equal("An agent may write its memories.", (await memory.GetAsync())!.Content);
        var hits = await agent.Grains.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(Embedding: vector, K: 1));
        Assert.Equal(id, Assert.Single(hits).MemoryId);

        foreach (var (name, call) in OperatorCalls(id).Concat(InternalCalls(id, written, await SiloAddressAsync())))
        {
            var refused = await Assert.ThrowsAsync<CallerNotAllowedException>(() => call(agent.Grains));
            Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(keys, (await harness.Operations.ListKeysAsync()).Count);
        await AssertUnchangedAsync(harness, id, written, vector);
    }

    [Fact]
    public async Task AnOperator_RunsChecksSweepsAndKeys_ButIsRefusedEveryInternalCall_WhichStillWorkInsideTheCluster()
    {
        var id = $"operator-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(8));
        await using var @operator = await RawOrleansClient.ConnectAsAsync(silo, ClusterCertificates.Operator, ConnectTimeout);
        var written = await @operator.Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "An operator's memory.", Embedding: vector));

        Assert.True((await @operator.Grains.GetGrain<IStatsGrain>(0).GetAsync()).TotalMemories >= 1);
        Assert.Equal(0, (await @operator.Grains.GetGrain<IOutboxGrain>(0).GetStatusAsync()).Dead);
        Assert.Equal(0, (await @operator.Grains.GetGrain<IOutboxGrain>(0).RetryDeadAsync("all", 10, DateTimeOffset.UtcNow)).Requeued);
        // The check and the sweep call the index shards' and memories' internal methods themselves: inside the
        // cluster those answer, for a call an operator started.
        Assert.Empty(await @operator.Grains.GetGrain<IConsistencyGrain>(0).CheckAsync());
        Assert.Equal(0, (await @operator.Grains.GetGrain<IConsistencyGrain>(0).SweepNowAsync()).Partition);
        var key = await @operator.Grains.GetGrain<IApiKeysGrain>(0).CreateAsync(new ApiKeyRequest(["operator-agent"], ApiScope.Read, ExpiresAt: null));
        Assert.True(await @operator.Grains.GetGrain<IApiKeysGrain>(0).RevokeAsync(key.KeyId));

        foreach (var (name, call) in InternalCalls(id, written, await SiloAddressAsync()))
        {
            var refused = await Assert.ThrowsAsync<CallerNotAllowedException>(() => call(@operator.Grains));
            Assert.Contains($"{name} refused: the method is internal to the cluster", refused.Message, StringComparison.Ordinal);
        }

        var tenYears = await Assert.ThrowsAsync<MemoryValidationException>(
            () => @operator.Grains.GetGrain<IConsistencyGrain>(0).PauseRemindersAsync(TimeSpan.FromDays(3650)));
        Assert.Contains("Consistency:MaxReminderPause", tenYears.Message, StringComparison.Ordinal);

        await using var harness = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        await AssertUnchangedAsync(harness, id, written, vector);
        await Eventually.ReturnsAsync(() => Task.FromResult(silo.Silo.Output), log => log.Contains("Refused IMemoryGrain.RepairAsync", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the refusal in the silo's log");
    }

    private static IEnumerable<(string Name, Func<IGrainFactory, Task> Call)> OperatorCalls(string id) =>
    [
        ("IStatsGrain.GetAsync", grains => grains.GetGrain<IStatsGrain>(0).GetAsync()),
        ("IOutboxGrain.GetStatusAsync", grains => grains.GetGrain<IOutboxGrain>(0).GetStatusAsync()),
        ("IOutboxGrain.RetryDeadAsync", grains => grains.GetGrain<IOutboxGrain>(0).RetryDeadAsync("all", 10, DateTimeOffset.UtcNow)),
        ("IApiKeysGrain.CreateAsync", grains => grains.GetGrain<IApiKeysGrain>(0).CreateAsync(new ApiKeyRequest([], ApiScope.Admin, ExpiresAt: null))),
        ("IApiKeysGrain.ListAsync", grains => grains.GetGrain<IApiKeysGrain>(0).ListAsync()),
        ("IConsistencyGrain.RepairAsync", grains => grains.GetGrain<IConsistencyGrain>(0).RepairAsync(new Dictionary<string, IReadOnlyList<string>> { [id] = ["redis"] })),
        ("IConsistencyGrain.PauseRemindersAsync", grains => grains.GetGrain<IConsistencyGrain>(0).PauseRemindersAsync(TimeSpan.FromMinutes(1))),
        ("IMemoryGrain.ResolveAsync", grains => grains.GetGrain<IMemoryGrain>(id).ResolveAsync(ConflictChoice.KeepCurrent)),
        ("IIndexGrain.StartReindexAsync", grains => grains.GetGrain<IIndexGrain>(0).StartReindexAsync(reembedAll: true)),
        ("IManagementGrain.ForceActivationCollection", grains => grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero)),
    ];

    // The methods the issue names (repair, adopt embedding, index shard calls, reminder scheduling, process probes) and
    // the rest that only the cluster calls.
    private static IEnumerable<(string Name, Func<IGrainFactory, Task> Call)> InternalCalls(string id, MemoryRecord written, string siloAddress)
    {
        var other = TestVectors.Unit(new Random(99));
        var label = 1L;
        var entry = new IndexEntry(label, id, written.AgentId, written.MemoryType, written.Version + 1, other);
        return
        [
            ("IMemoryGrain.RepairAsync", grains => grains.GetGrain<IMemoryGrain>(id).RepairAsync(["redis", "faiss"])),
            ("IMemoryGrain.AdoptEmbeddingAsync", grains => grains.GetGrain<IMemoryGrain>(id).AdoptEmbeddingAsync(written.Version, other, "planted")),
            ("IMemoryGrain.ReplicateAsync", grains => grains.GetGrain<IMemoryGrain>(id).ReplicateAsync()),
            ("IMemoryGrain.GetOwnerAsync", grains => grains.GetGrain<IMemoryGrain>(id).GetOwnerAsync()),
            ("IIndexGrain.UpsertAsync", grains => grains.GetGrain<IIndexGrain>(0).UpsertAsync(entry)),
            ("IIndexGrain.RemoveAsync", grains => grains.GetGrain<IIndexGrain>(0).RemoveAsync(label, long.MaxValue)),
            ("IIndexGrain.RestoreAsync", grains => grains.GetGrain<IIndexGrain>(0).RestoreAsync(label, written.Version, null)),
            ("IIndexGrain.SearchAsync", grains => grains.GetGrain<IIndexGrain>(0).SearchAsync(other, 10, null, null)),
            ("IIndexGrain.ProbeAsync", grains => grains.GetGrain<IIndexGrain>(0).ProbeAsync(label)),
            ("IIndexGrain.CountAsync", grains => grains.GetGrain<IIndexGrain>(0).CountAsync()),
            ("IIndexGrain.DigestAsync", grains => grains.GetGrain<IIndexGrain>(0).DigestAsync(0, 4096)),
            ("IIndexGrain.ListAsync", grains => grains.GetGrain<IIndexGrain>(0).ListAsync([0])),
            ("IIndexGrain.RepairAsync", grains => grains.GetGrain<IIndexGrain>(0).RepairAsync(id, label, null)),
            ("IIndexGrain.SnapshotAsync", grains => grains.GetGrain<IIndexGrain>(0).SnapshotAsync()),
            ("IConsistencyGrain.EnsureScheduledAsync", grains => grains.GetGrain<IConsistencyGrain>(0).EnsureScheduledAsync()),
            ("ISiloProcessGrain.GetMemoryAsync", grains => grains.GetGrain<ISiloProcessGrain>(siloAddress).GetMemoryAsync(collectGarbageFirst: true)),
            ("IClientRoleGrain.FindAsync", grains => grains.GetGrain<IClientRoleGrain>(siloAddress).FindAsync("sys.client/anyone")),
            ("IManagementGrain.GetHosts", grains => grains.GetGrain<IManagementGrain>(0).GetHosts()),
        ];
    }

    // Everything the refused calls would have changed: the version, the content and the vector in FAISS.
    private async Task AssertUnchangedAsync(MemorySyncClient harness, string id, MemoryRecord written, float[] vector)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestStack.RedisConnectionString);
        var stores = new StoreReader(silo.Database.DataSource, redis, harness.Grains, silo.KeyPrefix);
        var row = (await stores.PostgresAsync(id))!;
        Assert.Equal((written.Version, written.Checksum, false), (row.Version, row.Checksum, row.Deleted));
        var probe = await stores.FaissAsync(id, row.Label);
        Assert.Equal(1, probe.Occurrences);
        Assert.Equal(vector, probe.Vector);
        Assert.Equal(written.Content, (await harness.GetAsync(id))!.Content);
        var redisCopy = (await stores.RedisAsync(id))!;
        Assert.Equal(written.Checksum, redisCopy["checksum"]);
    }

    // The key the silo's own pinned grains (process probe, client roles) have.
    private async Task<string> SiloAddressAsync()
    {
        await using var harness = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        return Assert.Single(await harness.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Key.ToParsableString();
    }
}
