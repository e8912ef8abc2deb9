namespace MemorySync.IntegrationTests.Api;

/// <summary>A Manual conflict made, listed and resolved through the HTTP API, seen only by keys of the memory's agent.</summary>
[Collection(AgentApiCollection.Name)]
public sealed class HttpConflictTests(AgentApiFixture api)
{
    [Fact]
    public async Task AManualConflict_IsListedForItsAgentOnly_AndResolvedIntoAllThreeStores()
    {
        var id = $"httpconflict-{Guid.NewGuid():N}";
        var alice = api.As(api.WriteA);
        Assert.Equal(200, (await alice.PutAsync(id, new { content = "The meeting is on Monday." })).Code);
        Assert.Equal(200, (await alice.PutAsync(id, new { content = "The meeting moved to Tuesday.", base_version = 1 })).Code);

        var flagged = await alice.PutAsync(id, new { content = "The meeting is on Wednesday.", base_version = 1, strategy = "manual" });
        Assert.Equal(200, flagged.Code);
        Assert.True(flagged.Body!["conflicted"]!.GetValue<bool>());
        Assert.Equal(2, flagged.Body["version"]!.GetValue<long>());

        var listed = (await api.As(api.ReadA).GetAsync("/v1/conflicts")).Body!.AsArray().Single(conflict => conflict!["memory_id"]!.GetValue<string>() == id)!;
        Assert.Equal("The meeting moved to Tuesday.", listed["current"]!["content"]!.GetValue<string>());
        Assert.Equal("The meeting is on Wednesday.", listed["incoming"]!["content"]!.GetValue<string>());
        Assert.Null(listed["incoming"]!["embedding"]);
        Assert.DoesNotContain((await api.As(api.WriteB).GetAsync("/v1/conflicts")).Body!.AsArray(), conflict => conflict!["memory_id"]!.GetValue<string>() == id);
        Assert.Equal(404, (await api.As(api.WriteB).PostAsync($"/v1/memories/{id}/resolve", new { keep = "current" })).Code);

        var neither = await alice.PostAsync($"/v1/memories/{id}/resolve", new { keep = "both" });
        Assert.Equal(400, neither.Code);
        Assert.Equal("keep", neither.Field);

        var resolved = await alice.PostAsync($"/v1/memories/{id}/resolve", new { keep = "incoming" });
        Assert.True(resolved.Code == 200, $"expected 200, got {resolved}");
        Assert.Equal(3, resolved.Body!["version"]!.GetValue<long>());
        Assert.False(resolved.Body["conflicted"]!.GetValue<bool>());
        var stored = await api.Stores.PostgresAsync(id);
        Assert.Equal(3, stored!.Version);
        Assert.Equal("The meeting is on Wednesday.", (await alice.GetAsync($"/v1/memories/{id}")).Body!["content"]!.GetValue<string>());

        var again = await alice.PostAsync($"/v1/memories/{id}/resolve", new { keep = "current" });
        Assert.Equal(409, again.Code);
    }
}
