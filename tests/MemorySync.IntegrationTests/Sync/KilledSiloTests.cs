using MemorySync.Client;
using MemorySync.Testing;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Sync;

public sealed class KilledSiloTests(KilledSiloFixture silo) : IClassFixture<KilledSiloFixture>
{
    [Fact]
    public async Task SiloKilledWithOutboxRowsPending_DrainsThemAfterRestart()
    {
        var prefix = $"killed-{Guid.NewGuid():N}"[..18];
        var random = new Random(41);
        await using (var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions))
        {
            await silo.Redis.StopAsync();
            for (var i = 0; i < 10; i++)
            {
                var record = await client.UpsertAsync(new MemoryWrite($"{prefix}-{i}", $"written while Redis was down {i}", Embedding: TestVectors.Unit(random)));
                Assert.True(record.StoreVersions.Redis < record.Version);
            }
        }

        Assert.Equal(10, await silo.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_queue WHERE memory_id LIKE '{prefix}-%' AND store = 'redis' AND status = 'pending'"));
        await silo.KillAsync();
        await silo.Redis.StartAsync();
        await silo.StartAsync();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(silo.Redis.ConnectionString);
        await Eventually.ReturnsAsync(async () =>
        {
            var missing = 0;
            for (var i = 0; i < 10; i++)
            {
                var version = await redis.GetDatabase().HashGetAsync(global::MemorySync.Model.RedisKeyScheme.MemoryKey(silo.KeyPrefix, $"{prefix}-{i}"), "version");
                missing += version == "1" ? 0 : 1;
            }

            return missing;
        }, missing => missing == 0, TimeSpan.FromSeconds(90), "every memory in Redis");
        Assert.Equal(0, await silo.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_queue WHERE memory_id LIKE '{prefix}-%' AND status <> 'done'"));
    }
}
