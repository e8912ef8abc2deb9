using MemorySync.IntegrationTests.Infrastructure;
using MemorySync.IntegrationTests.Silo;

namespace MemorySync.IntegrationTests.Gateways;

/// <summary>
/// A real silo process whose membership lives in a Redis of the fixture's own (which tests stop), on a gateway port
/// the tests know (<see cref="RunningSiloFixture.GatewayPort"/>), so they can name it in Client:Gateways.
/// </summary>
public sealed class GatewayFallbackFixture : RunningSiloFixture
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
