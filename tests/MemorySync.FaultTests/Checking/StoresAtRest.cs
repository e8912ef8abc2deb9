using MemorySync.Client;
using MemorySync.FaultTests.Cluster;
using MemorySync.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace MemorySync.FaultTests.Checking;

/// <summary>
/// The whole content of every store as <see cref="StoreSnapshot.Lines"/>, read once the stores have stopped moving, for
/// tests that show bad input changed nothing: each bad input is followed by <see cref="AssertUnchangedAsync"/>.
/// </summary>
internal sealed class StoresAtRest : IAsyncDisposable
{
    private readonly FaultCluster _cluster;
    private readonly IConnectionMultiplexer _redis;
    private IReadOnlyList<string> _before = [];
    private string? _firstChangedBy;

    private StoresAtRest(FaultCluster cluster, MemorySyncClient client, IConnectionMultiplexer redis)
    {
        _cluster = cluster;
        Client = client;
        _redis = redis;
    }

    /// <summary>A client of the cluster, for the test's own calls.</summary>
    public MemorySyncClient Client { get; }

    /// <summary>Connects to the serving cluster and reads the stores once two reads in a row agree (another test's repairs may still be landing).</summary>
    public static async Task<StoresAtRest> ReadAsync(FaultCluster cluster)
    {
        await cluster.EnsureServingAsync();
        var stores = new StoresAtRest(cluster, await cluster.ConnectClientAsync(), await cluster.ConnectRedisAsync());
        IReadOnlyList<string> previous = [];
        stores._before = (await Eventually.ReturnsAsync(async () =>
        {
            var (last, now) = (previous, await stores.LinesAsync());
            previous = now;
            return (Last: last, Now: now);
        }, reads => reads.Last.SequenceEqual(reads.Now), TimeSpan.FromSeconds(60), "the stores at rest")).Now;
        return stores;
    }

    /// <summary>
    /// Fails naming every line that appeared or went since the stores were read, and the input after which they first
    /// changed: once they have, every later sample fails too, and the one a property test shrinks to is not the culprit.
    /// </summary>
    public async Task AssertUnchangedAsync(object input)
    {
        var after = await LinesAsync();
        var changed = after.Except(_before).Concat(_before.Except(after)).ToList();
        if (changed.Count > 0)
        {
            _firstChangedBy ??= input.ToString();
        }

        Assert.True(changed.Count == 0, $"the stores changed, first after: {_firstChangedBy}; lines: {string.Join(" | ", changed.Take(10))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await Client.DisposeAsync();
    }

    private async Task<IReadOnlyList<string>> LinesAsync() =>
        (await StoreSnapshot.ReadAsync(_cluster.Database, _redis, Client.Grains, _cluster.KeyPrefix)).Lines();
}
