using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>Keys no write would accept, sent straight to the grains of a real silo process: refused before any work.</summary>
public sealed class GrainKeyTests(BoundedSiloFixture silo) : IClassFixture<BoundedSiloFixture>
{
    [Fact]
    public async Task Repair_OfAThreeMillionCharacterKey_IsRefused_AndTheSiloStaysUpAndAnswers()
    {
        var key = new string('k', 3_000_000);
        var memory = silo.Client.Grains.GetGrain<IMemoryGrain>(key);

        // Once this overflowed the silo's stack (IndexShards.ShardOf) and the process died.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => memory.RepairAsync(["redis", "faiss"]));
        if (refused is MemoryValidationException invalid)
        {
            Assert.Equal("memory_id", invalid.Field);
            Assert.Contains("1-128 characters", invalid.Message, StringComparison.Ordinal);
        }

        Assert.False(silo.Silo.HasExited, $"the silo died: {silo.Silo.Error}");
        var id = $"after-{Guid.NewGuid():N}";
        await silo.Client.UpsertAsync(new MemoryWrite(id, "The silo still answers.", Embedding: TestVectors.Unit(new Random(1))));
        Assert.Equal("The silo still answers.", (await silo.Client.GetAsync(id))!.Content);
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>("SELECT count(*) FROM episodic_memory WHERE length(memory_id) > 128"));
    }

    [Fact]
    public async Task EveryMemoryMethod_WithAKeyOutsideTheCharset_IsRefusedNamingMemoryId()
    {
        var memory = silo.Client.Grains.GetGrain<IMemoryGrain>("no spaces; allowed");
        var vector = TestVectors.Unit(new Random(2));

        Func<Task>[] calls =
        [
            () => memory.GetAsync(), () => memory.HistoryAsync(), () => memory.GetOwnerAsync(), () => memory.DeleteAsync(),
            () => memory.ReplicateAsync(), () => memory.RepairAsync(["redis"]), () => memory.AdoptEmbeddingAsync(1, vector, "model"),
            () => memory.ResolveAsync(ConflictChoice.KeepCurrent),
        ];
        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAsync<MemoryValidationException>(call);
            Assert.Equal("memory_id", refused.Field);
        }
    }

    [Theory]
    [InlineData(BoundedSiloFixture.IndexShards)]
    [InlineData(-1L)]
    [InlineData(1L << 32)]
    public async Task IndexShard_OutsideMemoryIndexShards_IsRefused_WithoutLoadingAnything(long shard)
    {
        var index = silo.Client.Grains.GetGrain<IIndexGrain>(shard);

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => index.GetInfoAsync());
        Assert.Equal("shard", refused.Field);
        Assert.Contains("Memory:IndexShards", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemoryValidationException>(() => index.SnapshotAsync());
        await Assert.ThrowsAsync<MemoryValidationException>(() => index.StartReindexAsync(reembedAll: true));

        // No snapshot row, and no load or rebuild in the silo's log (a configured shard logs "Index shard N loaded ...").
        // A key beyond int names, truncated, a configured shard: its rows and lines would be that shard's.
        if (shard is >= int.MinValue and <= int.MaxValue)
        {
            Assert.Equal(0L, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM index_snapshots WHERE shard = {shard}"));
            Assert.DoesNotContain($"Index shard {shard} loaded", silo.Silo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"Index shard {shard} restored", silo.Silo.Output, StringComparison.Ordinal);
        }

        // A configured shard still answers.
        Assert.Equal(1, (await silo.Client.Grains.GetGrain<IIndexGrain>(1).GetInfoAsync()).Shard);
    }

    [Fact]
    public async Task ConsistencyPartition_OutsideConsistencyPartitions_IsRefused_AndSchedulesNothing()
    {
        const long partition = 0x7777;
        var sweeper = silo.Client.Grains.GetGrain<IConsistencyGrain>(partition);

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => sweeper.SweepNowAsync());
        Assert.Equal("partition", refused.Field);
        Assert.Contains("Consistency:Partitions", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemoryValidationException>(() => sweeper.EnsureScheduledAsync());
        await Assert.ThrowsAsync<MemoryValidationException>(() => sweeper.PauseRemindersAsync(TimeSpan.FromDays(3650)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => sweeper.CheckAsync());

        Assert.Equal(0L, await silo.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_reminder WHERE grain_id LIKE '%7777%'"));
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_grain_state WHERE grain_id_n1 = 30583 OR grain_id_n0 = 30583"));
        Assert.Equal(1, (await silo.Client.Grains.GetGrain<IConsistencyGrain>(1).GetStatusAsync()).Partition);
    }
}
