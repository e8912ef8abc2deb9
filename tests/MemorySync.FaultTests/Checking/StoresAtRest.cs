using MemorySync.Client;
using MemorySync.FaultTests.Cluster;
using MemorySync.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace MemorySync.FaultTests.Checking;

/// <summary>
/// The whole content of every store as <see cref="StoreSnapshot.Lines"/>, for tests that show bad input changed
/// nothing: read once the stores have stopped moving, then again after each bad input.
/// </summary>
internal sealed class StoresAtRest(FaultCluster cluster, MemorySyncClient client, IConnectionMultiplexer redis)
{
    private string? _firstChangedBy;

    public async Task<IReadOnlyList<string>> ReadAsync() =>
        (await StoreSnapshot.ReadAsync(cluster.Database, redis, client.Grains, cluster.KeyPrefix)).Lines();

    /// <summary>The stores once two reads in a row agree: another test's repairs may still be landing.</summary>
    public async Task<IReadOnlyList<string>> WaitUntilStillAsync()
    {
        IReadOnlyList<string> previous = [];
        return (await Eventually.ReturnsAsync(async () =>
        {
            var (last, now) = (previous, await ReadAsync());
            previous = now;
            return (Last: last, Now: now);
        }, reads => reads.Last.SequenceEqual(reads.Now), TimeSpan.FromSeconds(60), "the stores at rest")).Now;
    }

    /// <summary>
    /// Fails naming every line that appeared or went since <paramref name="before"/>, and the input after which the stores
    /// first changed: once they have, every later sample fails too, and the one a property test shrinks to is not the
    /// culprit.
    /// </summary>
    public async Task AssertUnchangedAsync(IReadOnlyList<string> before, object input)
    {
        var after = await ReadAsync();
        var changed = after.Except(before).Concat(before.Except(after)).ToList();
        if (changed.Count > 0)
        {
            _firstChangedBy ??= input.ToString();
        }

        Assert.True(changed.Count == 0, $"the stores changed, first after: {_firstChangedBy}; lines: {string.Join(" | ", changed.Take(10))}");
    }
}
