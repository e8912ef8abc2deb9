using MemorySync.Client;
using Microsoft.Extensions.Configuration;

namespace MemorySync.UnitTests.Client;

/// <summary>Which Redis login a client takes from the environment's settings.</summary>
public sealed class ClientOptionsTests
{
    [Fact]
    public void FromConfiguration_PrefersTheClientsOwnRedisLogin_OverTheSilos()
    {
        var options = MemorySyncClientOptions.FromConfiguration(Settings(("Client:RedisConnectionString", "127.0.0.1:1,user=memsync-client"),
            ("Redis:ConnectionString", "127.0.0.1:1,user=memsync-silo")));

        Assert.Equal("127.0.0.1:1,user=memsync-client", options.RedisConnectionString);
    }

    [Fact]
    public void FromConfiguration_WithoutAClientLogin_FallsBackToTheSilosSetting()
    {
        var options = MemorySyncClientOptions.FromConfiguration(Settings(("Redis:ConnectionString", "127.0.0.1:2")));

        Assert.Equal("127.0.0.1:2", options.RedisConnectionString);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(value => value.Key, value => (string?)value.Value)).Build();
}
