using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Messaging;
using StackExchange.Redis;

namespace MemorySync.Client;

/// <summary>
/// Finds the cluster's gateways by reading Orleans' Redis membership table, and does nothing else there. Orleans' own
/// client provider also creates the table when it is missing (HSETNX): a write, which the membership-only Redis user
/// of a locked-down stack may not make, and which a client has no business making.
/// </summary>
internal sealed class RedisGatewayReader(IOptions<ClusterOptions> cluster, IOptions<GatewayOptions> gateway, ConfigurationOptions redis)
    : IGatewayListProvider, IAsyncDisposable
{
    // Orleans' table stores each silo's entry as JSON; this is the one status whose gateway takes clients.
    private const int ActiveStatus = (int)SiloStatus.Active;
    private const string VersionField = "Version";

    private readonly RedisKey _table = RedisClusteringOptions.DefaultCreateRedisKey(cluster.Value);
    private IConnectionMultiplexer? _multiplexer;

    public TimeSpan MaxStaleness => gateway.Value.GatewayListRefreshPeriod;

    [Obsolete("Orleans no longer reads it; every provider is updatable.")]
    public bool IsUpdatable => true;

    public async Task InitializeGatewayListProvider() => _multiplexer ??= await ConnectionMultiplexer.ConnectAsync(redis).ConfigureAwait(false);

    public async Task<IList<Uri>> GetGateways()
    {
        await InitializeGatewayListProvider().ConfigureAwait(false);
        var rows = await _multiplexer!.GetDatabase().HashGetAllAsync(_table).ConfigureAwait(false);
        return rows.Where(row => row.Name != VersionField && row.Value.HasValue)
            .Select(row => GatewayOf(row.Value.ToString()))
            .OfType<Uri>()
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    // {"SiloAddress":{"SiloAddress":"S10.0.0.5:11111:123"},"Status":3,"ProxyPort":30000,...}, written by Newtonsoft.Json.
    private static Uri? GatewayOf(string entryJson)
    {
        using var entry = JsonDocument.Parse(entryJson);
        var root = entry.RootElement;
        if (!root.TryGetProperty("Status", out var status) || !status.TryGetInt32(out var code) || code != ActiveStatus
            || !root.TryGetProperty("ProxyPort", out var proxyPort) || proxyPort.GetInt32() == 0
            || root.GetProperty("SiloAddress").GetProperty("SiloAddress").GetString() is not { } parsable)
        {
            return null;
        }

        var silo = SiloAddress.FromParsableString(parsable);
        return SiloAddress.New(silo.Endpoint.Address, proxyPort.GetInt32(), silo.Generation).ToGatewayUri();
    }
}
