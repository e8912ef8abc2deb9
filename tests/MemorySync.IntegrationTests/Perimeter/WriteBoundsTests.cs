using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>Every bound a write or search meets, against a real silo process: refused naming the field and the setting, nothing stored.</summary>
public sealed class WriteBoundsTests(BoundedSiloFixture silo) : IClassFixture<BoundedSiloFixture>
{
    [Fact]
    public async Task Batch_WithMoreItemsThanMemoryMaxBatchItems_IsRefusedWhole_AndStoresNothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(3);
        var writes = Enumerable.Range(0, BoundedSiloFixture.MaxBatchItems + 1)
            .Select(i => new MemoryWrite($"bb-{run}-{i}", $"Batch item {i}.", Embedding: TestVectors.Unit(random))).ToList();

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => silo.Client.SyncBatchAsync(writes));

        Assert.Equal("memories", refused.Field);
        Assert.Contains("Memory:MaxBatchItems", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM episodic_memory WHERE memory_id LIKE 'bb-{run}-%'"));
    }

    [Fact]
    public async Task Batch_WithMoreBytesThanMemoryMaxBatchBytes_IsRefusedWhole_AndStoresNothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        // Two items, each well within Memory:MaxContentBytes, together over Memory:MaxBatchBytes.
        var writes = Enumerable.Range(0, 2)
            .Select(i => new MemoryWrite($"bbytes-{run}-{i}", new string('x', BoundedSiloFixture.MaxBatchBytes / 2 + 10))).ToList();

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => silo.Client.SyncBatchAsync(writes));

        Assert.Equal("memories", refused.Field);
        Assert.Contains("Memory:MaxBatchBytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM episodic_memory WHERE memory_id LIKE 'bbytes-{run}-%'"));
    }

    [Fact]
    public async Task Search_WithTextLongerThanMemoryMaxSearchTextBytes_IsRefusedNamingText()
    {
        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            silo.Client.SearchAsync(new SearchRequest(new string('q', BoundedSiloFixture.MaxSearchTextBytes + 1))));

        Assert.Equal("text", refused.Field);
        Assert.Contains("Memory:MaxSearchTextBytes", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await silo.Client.SearchAsync(new SearchRequest(new string('q', BoundedSiloFixture.MaxSearchTextBytes))));
    }

    [Fact]
    public async Task Upsert_NamingAnotherAgent_DoesNotMoveTheMemory_SingleOrBatch_UntilItIsDeleted()
    {
        var id = $"move-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(4));
        await silo.Client.UpsertAsync(new MemoryWrite(id, "Alice's note.", Embedding: vector, AgentId: "alice"));

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            silo.Client.UpsertAsync(new MemoryWrite(id, "Mallory's now.", Embedding: vector, AgentId: "mallory")));
        Assert.Equal("agent_id", refused.Field);
        var batch = await silo.Client.SyncBatchAsync([new MemoryWrite(id, "Mallory's now.", Embedding: vector, AgentId: "mallory")]);
        Assert.Equal(1, batch.Failed);
        Assert.StartsWith("agent_id: ", batch.Errors[0].Error, StringComparison.Ordinal);

        var kept = (await silo.Client.GetAsync(id))!;
        Assert.Equal(("alice", "Alice's note.", 1L), (kept.AgentId, kept.Content, kept.Version));
        Assert.Equal("alice", await silo.Database.ScalarAsync<string>($"SELECT agent_id FROM episodic_memory WHERE memory_id = '{id}'"));

        // Moving is a delete and a new write, which the history shows.
        await silo.Client.DeleteAsync(id);
        var moved = await silo.Client.UpsertAsync(new MemoryWrite(id, "Bob's note.", Embedding: vector, AgentId: "bob"));
        Assert.Equal("bob", moved.AgentId);
        Assert.Equal(3, (await silo.Client.HistoryAsync(id)).Count);
    }

    [Fact]
    public async Task Timestamps_FarAhead_CannotRatchetTheSilosClock_SingleOrBatch()
    {
        var id = $"clock-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(5));
        var physical = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long Stamp(long aheadMs) => (physical + aheadMs) << 16;

        // 50 s ahead is within Memory:MaxClockSkew (60 s): taken. Before the fence, each accepted stamp moved the
        // silo's clock, and the next write could be 60 s ahead of that: 100 s, 150 s, ... every one a winner.
        await silo.Client.UpsertAsync(new MemoryWrite(id, "First.", Embedding: vector, Timestamp: Stamp(50_000)));
        foreach (var ahead in new[] { 100_000L, 150_000L, 200_000L })
        {
            var refused = await Assert.ThrowsAsync<MemoryValidationException>(() =>
                silo.Client.UpsertAsync(new MemoryWrite(id, $"{ahead} ms ahead.", Embedding: vector, Timestamp: Stamp(ahead))));
            Assert.Equal("timestamp", refused.Field);
            Assert.Contains("Memory:MaxClockSkew", refused.Message, StringComparison.Ordinal);
        }

        var batch = await silo.Client.SyncBatchAsync([new MemoryWrite(id, "From a batch.", Embedding: vector, Timestamp: Stamp(100_000))]);
        Assert.Equal(1, batch.Failed);
        Assert.StartsWith("timestamp: ", batch.Errors[0].Error, StringComparison.Ordinal);

        Assert.Equal(("First.", 1L), ((await silo.Client.GetAsync(id))!.Content, (await silo.Client.GetAsync(id))!.Version));
        var storedMs = await silo.Database.ScalarAsync<long>($"SELECT hlc >> 16 FROM episodic_memory WHERE memory_id = '{id}'");
        Assert.InRange(storedMs, physical, physical + 60_000);

        // A write the client facade stamps itself (its own clock, now) still lands.
        var honest = await silo.Client.UpsertAsync(new MemoryWrite(id, "Stamped now.", Embedding: vector));
        Assert.Equal(2, honest.Version);
    }
}
