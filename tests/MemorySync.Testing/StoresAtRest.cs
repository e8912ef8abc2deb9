using MemorySync.Client;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Testing;

/// <summary>
/// The whole content of every store as <see cref="StoreSnapshot.Lines"/>, read once the stores have stopped moving, for
/// tests that show bad input changed nothing: each bad input is followed by <see cref="AssertUnchangedAsync"/>.
/// </summary>
internal sealed class StoresAtRest : IAsyncDisposable
{
    private readonly NpgsqlDataSource _postgres;
    private readonly IConnectionMultiplexer _redis;
    private readonly string _keyPrefix;
    private IReadOnlyList<string> _before = [];
    private string? _firstChangedBy;

    private StoresAtRest(NpgsqlDataSource postgres, MemorySyncClient client, IConnectionMultiplexer redis, string keyPrefix)
    {
        _postgres = postgres;
        Client = client;
        _redis = redis;
        _keyPrefix = keyPrefix;
    }

    /// <summary>A client of the cluster, for the test's own calls.</summary>
    public MemorySyncClient Client { get; }

    /// <summary>
    /// Reads the stores once two reads in a row agree (another test's repairs may still be landing). The client and the
    /// Redis connection become the instance's, disposed with it.
    /// </summary>
    public static async Task<StoresAtRest> ReadAsync(NpgsqlDataSource postgres, MemorySyncClient client, IConnectionMultiplexer redis, string keyPrefix)
    {
        var stores = new StoresAtRest(postgres, client, redis, keyPrefix);
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
        (await StoreSnapshot.ReadAsync(_postgres, _redis, Client.Grains, _keyPrefix)).Lines();
}
