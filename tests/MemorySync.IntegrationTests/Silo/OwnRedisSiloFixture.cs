using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>
/// A real silo process on a Redis of the fixture's own (membership and working memory), which tests may stop without
/// touching the shared test Redis.
/// </summary>
public class OwnRedisSiloFixture : RunningSiloFixture
{
    internal OwnRedisServer Redis { get; } = new();

    protected override string RedisConnectionString => Redis.ConnectionString;

    protected override string ClientRedisConnectionString => Redis.ConnectionString;

    public override async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
