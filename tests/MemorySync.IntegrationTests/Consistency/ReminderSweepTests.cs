using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Consistency;

/// <summary>Sweeps driven by their reminders alone: nobody calls check or repair.</summary>
public sealed class ReminderSweepTests(SweepingSiloFixture silo) : IClassFixture<SweepingSiloFixture>
{
    [Fact]
    public async Task AReminderDrivenSweep_RepairsADifference_WithoutAnyoneCallingCheck()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(9);
        var missing = $"rs-{run}-missing";
        var edited = $"rs-{run}-edited";
        await silo.Client.UpsertAsync(new MemoryWrite(missing, "The user's train leaves at 7:40.", Embedding: TestVectors.Unit(random)));
        await silo.Client.UpsertAsync(new MemoryWrite(edited, "The user's gym is open until 22:00.", Embedding: TestVectors.Unit(random)));
        var redis = silo.Redis.GetDatabase();
        await redis.KeyDeleteAsync(silo.Stores.RedisKey(missing));
        await redis.HashSetAsync(silo.Stores.RedisKey(edited), "content", "edited by hand");

        await Eventually.ReturnsAsync(async () => (await silo.Stores.RedisAsync(missing), await silo.Stores.RedisAsync(edited)),
            copies => copies.Item1?["version"] == "1" && copies.Item2?["content"] == "The user's gym is open until 22:00.",
            TimeSpan.FromSeconds(60), "both memories repaired in Redis by a sweep");
        // The outbox had nothing left to do for them: the repair rows are the sweep's.
        Assert.Equal(2L, await silo.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT memory_id) FROM sync_transactions WHERE operation = 'repair' AND memory_id LIKE 'rs-{run}-%'"));
        var statuses = await silo.Client.Operations.GetSweepStatusAsync();
        Assert.Contains(statuses, status => status.LastSweep is { Repaired: > 0 });
    }

    [Fact]
    public async Task PausedReminders_StartNoSweep_AndResumedOnes_RepairWhatWaited()
    {
        var id = $"rp-{Guid.NewGuid():N}"[..20];
        await silo.Client.UpsertAsync(new MemoryWrite(id, "The user's library card expires in May.", Embedding: TestVectors.Unit(new Random(12))));
        await silo.Client.Operations.PauseSweepRemindersAsync(TimeSpan.FromHours(1));
        try
        {
            var idle = await Eventually.ReturnsAsync(silo.Client.Operations.GetSweepStatusAsync, statuses => statuses.All(status => status.Phase == "idle"),
                TimeSpan.FromSeconds(60), "running sweeps finished");
            await silo.Redis.GetDatabase().KeyDeleteAsync(silo.Stores.RedisKey(id));

            // Proving an absence takes time: three reminder periods (2 s each) pass without a sweep.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var paused = await silo.Client.Operations.GetSweepStatusAsync();
            Assert.Equal(idle.Select(status => status.LastSweep?.FinishedAt), paused.Select(status => status.LastSweep?.FinishedAt));
            Assert.Null(await silo.Stores.RedisAsync(id));
        }
        finally
        {
            await silo.Client.Operations.PauseSweepRemindersAsync(TimeSpan.Zero);
        }

        await Eventually.ReturnsAsync(() => silo.Stores.RedisAsync(id), copy => copy?["version"] == "1", TimeSpan.FromSeconds(60),
            "the memory repaired once reminders resumed");
    }
}
