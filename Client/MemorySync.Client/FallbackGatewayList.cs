using System.Net;
using Orleans.Messaging;

namespace MemorySync.Client;

/// <summary>
/// The gateways to try: the live membership table in Redis when it answers, else the gateways the settings name and
/// the last list Redis gave (kept in memory, and in <see cref="GatewayCache"/> for processes that start while Redis is
/// down). Redis being down must not lock new clients out of a cluster whose silos still run.
/// </summary>
internal sealed class FallbackGatewayList(IGatewayListProvider live, IReadOnlyList<Uri> configured, GatewayCache? cache)
    : IGatewayListProvider, IAsyncDisposable
{
    private IList<Uri> _lastSeen = [];

    public TimeSpan MaxStaleness => live.MaxStaleness;

    [Obsolete("Orleans no longer reads it; every provider is updatable.")]
    public bool IsUpdatable => true;

    // Redis may be down at start-up: the first GetGateways finds out, and falls back then.
    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        try
        {
            var gateways = await live.GetGateways().ConfigureAwait(false);
            if (gateways.Count > 0)
            {
                _lastSeen = gateways;
                cache?.Save(gateways);
                return gateways;
            }
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException or IOException)
        {
            if (Fallback() is { Count: > 0 } fallback)
            {
                return fallback;
            }

            throw;
        }

        return Fallback();
    }

    private List<Uri> Fallback() => [.. configured.Concat(_lastSeen).Concat(cache?.Load() ?? []).Distinct()];

    /// <summary>Reads <c>host:port</c> entries (a name is resolved now) as gateway addresses.</summary>
    public static IReadOnlyList<Uri> Parse(IEnumerable<string> entries) => [.. entries.Select(ParseOne)];

    private static Uri ParseOne(string entry)
    {
        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new MemoryValidationException("Client:Gateways", $"'{entry}' is not host:port");
        }

        var host = entry[..colon].Trim('[', ']');
        var address = IPAddress.TryParse(host, out var literal) ? literal
            : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new MemoryValidationException("Client:Gateways", $"host '{host}' has no address");
        return new IPEndPoint(address, port).ToGatewayUri();
    }

    public async ValueTask DisposeAsync()
    {
        if (live is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}
