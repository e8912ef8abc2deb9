using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>A silo process killed outright (SIGKILL) and started again: what PostgreSQL holds comes back.</summary>
public sealed class SiloRestartTests(RunningSiloFixture silo) : IClassFixture<RunningSiloFixture>
{
    [Fact]
    public async Task Memory_SurvivesAKilledAndRestartedSilo()
    {
        var id = $"restart-{Guid.NewGuid():N}";
        MemoryRecord written;
        await using (var client = await MemorySyncClient.ConnectAsync(silo.ClientOptions))
        {
            written = await client.UpsertAsync(new MemoryWrite(id, "Survives restarts.", Embedding: TestVectors.Unit(new Random(14))));
        }

        await silo.RestartAsync();

        await using var again = await MemorySyncClient.ConnectAsync(silo.ClientOptions);
        var restored = await again.GetAsync(id);
        Assert.NotNull(restored);
        Assert.Equal(written.Version, restored.Version);
        Assert.Equal(written.Checksum, restored.Checksum);
        var hits = await again.SearchAsync(new SearchRequest(Embedding: TestVectors.Unit(new Random(14)), K: 1));
        Assert.Equal(id, Assert.Single(hits).MemoryId);
    }

}
