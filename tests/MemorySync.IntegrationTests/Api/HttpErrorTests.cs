using System.Diagnostics;
using System.Net;
using MemorySync.Keys;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Api;

/// <summary>The documented error mapping of the HTTP API (docs/agent-api.md, "Errors"), each refusal leaving the stores as they were.</summary>
[Collection(AgentApiCollection.Name)]
public sealed class HttpErrorTests(AgentApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"content": "x",""", "body" },
        { """{"content": "x", "importance": "high"}""", "importance" },
        { """{"content": "x", "importance": 7}""", "importance" },
        { """{"content": "x", "strategy": "bogus"}""", "strategy" },
        { """{"content": "x", "mode": "eventually"}""", "mode" },
        { """{"content": "x", "memory_type": "diary"}""", "memory_type" },
        { """{"content": "x", "metadata": [1, 2]}""", "metadata" },
        { """{"content": "x", "embedding": [1, 2, 3]}""", "embedding" },
        { """{"content": "x", "base_version": "two"}""", "base_version" },
        { """{"content": ""}""", "content" },
        { """{"memory_type": "semantic"}""", "content" },
        { """{"content": "x", "agent_id": "no spaces allowed"}""", "agent_id" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Put_WithBadInput_Is400NamingTheField_AndStoresNothing(string body, string field)
    {
        var id = $"bad-{Guid.NewGuid():N}";
        var answer = await api.As(api.Admin).SendRawAsync(HttpMethod.Put, $"/v1/memories/{id}", body);

        Assert.True(answer.Code == 400, $"expected 400, got {answer}");
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(field, answer.Field);
        Assert.Equal(new StoreFootprint("none", 0, "none", "none"), await StoreFootprint.ReadAsync(api.Stores, id));
    }

    [Fact]
    public async Task Put_WithAnIdOutsideTheCharset_Is400NamingMemoryId()
    {
        var answer = await api.As(api.WriteA).PutAsync("bad%20id", new { content = "x" });

        Assert.Equal(400, answer.Code);
        Assert.Equal("memory_id", answer.Field);
    }

    [Fact]
    public async Task Put_LargerThanMaxBodyBytes_Is413_AndStoresNothing()
    {
        var id = $"big-{Guid.NewGuid():N}";
        var answer = await api.As(api.WriteA).SendRawAsync(HttpMethod.Put, $"/v1/memories/{id}",
            $$"""{"content": "{{new string('a', 1_100_000)}}"}""", expectContinue: true);

        Assert.True(answer.Code == 413, $"expected 413, got {answer}");
        Assert.Contains("Api:MaxBodyBytes", answer.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(new StoreFootprint("none", 0, "none", "none"), await StoreFootprint.ReadAsync(api.Stores, id));
    }

    [Fact]
    public async Task IfMatch_TakesTheETagOfARead_AndAStaleOneIs412WithNothingStored()
    {
        var id = $"etag-{Guid.NewGuid():N}";
        var http = api.As(api.WriteA);
        var first = await http.PutAsync(id, new { content = "The user prefers window seats." }, ifMatch: "\"0\"");
        Assert.Equal(200, first.Code);
        var read = await http.GetAsync($"/v1/memories/{id}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);

        var second = await http.PutAsync(id, new { content = "The user prefers aisle seats." }, ifMatch: read.Headers.ETag!.Tag);
        Assert.Equal(200, second.Code);
        Assert.Equal("\"2\"", second.Headers.ETag?.Tag);
        var before = await StoreFootprint.ReadAsync(api.Stores, id);

        var stale = await http.PutAsync(id, new { content = "The user prefers the middle seat." }, ifMatch: "\"1\"");
        Assert.True(stale.Code == 412, $"expected 412, got {stale}");
        Assert.Equal("If-Match", stale.Field);
        Assert.Equal(before, await StoreFootprint.ReadAsync(api.Stores, id));
        Assert.Equal("The user prefers aisle seats.", (await http.GetAsync($"/v1/memories/{id}")).Body!["content"]!.GetValue<string>());

        var malformed = await http.PutAsync(id, new { content = "x" }, ifMatch: "\"latest\"");
        Assert.Equal(400, malformed.Code);
        Assert.Equal("If-Match", malformed.Field);
    }

    [Fact]
    public async Task Batch_OverMaxBatchItems_Is400NamingMemories_AndStoresNone()
    {
        var ids = Enumerable.Range(0, AgentApiFixture.MaxBatchItems + 1).Select(i => $"batch-{Guid.NewGuid():N}").ToList();
        var answer = await api.As(api.WriteA).PostAsync("/v1/memories/batch", new
        {
            memories = ids.Select((id, i) => new { memory_id = id, content = $"item {i}", embedding = TestVectors.Unit(new Random(i)) }),
        });

        Assert.True(answer.Code == 400, $"expected 400, got {answer}");
        Assert.Equal("memories", answer.Field);
        Assert.Contains("Api:MaxBatchItems", answer.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await api.Stores.PostgresAsync(ids[0]));
    }

    [Fact]
    public async Task Batch_ReportsEachRefusedItemByName_AndStoresTheRest()
    {
        var good = $"batchok-{Guid.NewGuid():N}";
        var bad = $"batchbad-{Guid.NewGuid():N}";
        var foreign = $"batchforeign-{Guid.NewGuid():N}";
        var answer = await api.As(api.WriteA).PostAsync("/v1/memories/batch", new
        {
            memories = new object[]
            {
                new { memory_id = good, content = "fine" },
                new { memory_id = bad, content = "too important", importance = 3 },
                new { memory_id = foreign, content = "for someone else", agent_id = api.AgentB },
            },
        });

        Assert.True(answer.Code == 200, $"expected 200, got {answer}");
        Assert.Equal(1, answer.Body!["synced"]!.GetValue<int>());
        Assert.Equal(2, answer.Body["failed"]!.GetValue<int>());
        var errors = answer.Body["errors"]!.AsArray().ToDictionary(error => error!["memory_id"]!.GetValue<string>(), error => error!["error"]!.GetValue<string>());
        Assert.StartsWith("importance", errors[bad], StringComparison.Ordinal);
        Assert.StartsWith("agent_id", errors[foreign], StringComparison.Ordinal);
        Assert.NotNull(await api.Stores.PostgresAsync(good));
        Assert.Null(await api.Stores.PostgresAsync(foreign));
    }

    [Fact]
    public async Task AKeyOfSeveralAgents_MustNameOne_AndMayNotWriteForAnother()
    {
        var both = await api.CreateKeyAsync(ApiScope.Write, api.AgentA, api.AgentB);
        var id = $"multi-{Guid.NewGuid():N}";

        var unnamed = await api.As(both).PutAsync(id, new { content = "whose is this?" });
        Assert.Equal(400, unnamed.Code);
        Assert.Equal("agent_id", unnamed.Field);

        var outside = await api.As(api.WriteA).PutAsync(id, new { content = "for bob", agent_id = api.AgentB });
        Assert.Equal(403, outside.Code);
        Assert.Equal("agent_id", outside.Field);
        Assert.Null(await api.Stores.PostgresAsync(id));

        var named = await api.As(both).PutAsync(id, new { content = "for bob", agent_id = api.AgentB });
        Assert.Equal(200, named.Code);
        // An update that names no agent keeps the memory's own, within the key.
        var update = await api.As(both).PutAsync(id, new { content = "still bob's" });
        Assert.Equal(api.AgentB, update.Body!["agent_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_AskingForAnotherAgent_FindsNothing()
    {
        var id = $"confined-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(77));
        Assert.Equal(200, (await api.As(api.WriteB).PutAsync(id, new { content = "bob's secret", embedding = vector })).Code);

        var asked = await api.As(api.ReadA).PostAsync("/v1/search", new { embedding = vector, k = 10, agent_id = api.AgentB });
        Assert.Equal(200, asked.Code);
        Assert.Empty(asked.Body!.AsArray());
        var own = await api.As(api.WriteB).PostAsync("/v1/search", new { embedding = vector, k = 1 });
        Assert.Equal(id, own.Body!.AsArray().Single()!["memory_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKeyOverItsRateLimit_Gets429WithRetryAfter_AndOtherKeysAreNotSlowed()
    {
        var busy = api.As(await api.CreateKeyAsync(ApiScope.Read, api.AgentA));
        var answers = await Task.WhenAll(Enumerable.Range(0, AgentApiFixture.RequestsPerSecond * 3)
            .Select(_ => busy.GetAsync("/v1/conflicts")));

        var limited = answers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, answer => Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"no Retry-After: {answer}"));
        Assert.Equal("application/problem+json", limited[0].ContentType);
        Assert.Equal(200, (await api.As(api.ReadA).GetAsync("/v1/conflicts")).Code);

        // A key with a rate of its own is held to that one instead.
        var fast = api.As(await api.Client.Operations.CreateKeyAsync(new ApiKeyRequest([api.AgentA], ApiScope.Read, null, RequestsPerSecond: 10_000)));
        var fastAnswers = await Task.WhenAll(Enumerable.Range(0, AgentApiFixture.RequestsPerSecond * 3).Select(_ => fast.GetAsync("/v1/conflicts")));
        Assert.All(fastAnswers, answer => Assert.Equal(200, answer.Code));
    }

    [Fact]
    public async Task ARevokedKey_IsRefusedWithinTheKeyCacheBound()
    {
        var key = await api.CreateKeyAsync(ApiScope.Read, api.AgentA);
        Assert.Equal(200, (await api.As(key).GetAsync("/v1/conflicts")).Code);

        Assert.True(await api.Client.Operations.RevokeKeyAsync(key.KeyId));
        var revoked = Stopwatch.StartNew();
        var refused = await Eventually.ReturnsAsync(() => api.As(key).GetAsync("/v1/conflicts"), answer => answer.Code == 401, Deadline, "refusing the revoked key");

        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(AgentApiFixture.KeyCacheSeconds + 5),
            $"the revoked key worked for {revoked.Elapsed.TotalSeconds:F1} s; Api:KeyCacheSeconds is {AgentApiFixture.KeyCacheSeconds}");
        // A GET also offers browsers the Basic prompt of the operator pages; the key it refused was a bearer key.
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.Select(challenge => challenge.Scheme));
        var listed = (await api.Client.Operations.ListKeysAsync()).Single(info => info.KeyId == key.KeyId);
        Assert.NotNull(listed.RevokedAt);
    }

    [Fact]
    public async Task AnExpiredKey_IsRefused()
    {
        var key = await api.Client.Operations.CreateKeyAsync(new ApiKeyRequest([api.AgentA], ApiScope.Read, DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.Equal(200, (await api.As(key).GetAsync("/v1/conflicts")).Code);

        await Eventually.ReturnsAsync(() => api.As(key).GetAsync("/v1/conflicts"), answer => answer.Code == 401, Deadline, "refusing the expired key");
    }

    [Fact]
    public async Task KeysRequests_ThatMakeNoSense_AreRefusedByName()
    {
        var noAgent = await Assert.ThrowsAsync<MemoryValidationException>(() => api.CreateKeyAsync(ApiScope.Write));
        Assert.Equal("agent", noAgent.Field);
        var adminWithAgent = await Assert.ThrowsAsync<MemoryValidationException>(() => api.CreateKeyAsync(ApiScope.Admin, api.AgentA));
        Assert.Equal("agent", adminWithAgent.Field);
        var badAgent = await Assert.ThrowsAsync<MemoryValidationException>(() => api.CreateKeyAsync(ApiScope.Read, "two words"));
        Assert.Equal("agent", badAgent.Field);
        var past = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            api.Client.Operations.CreateKeyAsync(new ApiKeyRequest([api.AgentA], ApiScope.Read, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Equal("expires", past.Field);
    }

    [Fact]
    public async Task NoKeySecret_ReachesTheSiloLog()
    {
        // Every kind of call, refused or not, with every key of the fixture.
        foreach (var key in new[] { api.WriteA, api.ReadA, api.WriteB, api.Admin })
        {
            await api.As(key).GetAsync($"/v1/memories/nothing-{Guid.NewGuid():N}");
            await api.As(key).SendRawAsync(HttpMethod.Put, "/v1/memories/x", "{not json");
        }

        await api.WithToken(api.WriteA.Key + "tampered").GetAsync("/v1/conflicts");
        var log = api.Silo.Output + api.Silo.Error;
        foreach (var key in new[] { api.WriteA, api.ReadA, api.WriteB, api.Admin })
        {
            // msk_<key id>_<secret>: the secret itself may hold '_', the key id never does.
            var secret = key.Key.Split('_', 3)[2];
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }
}
