using System.Diagnostics.Metrics;
using MemorySync.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync.Diagnostics;

/// <summary>
/// How much of each store's connection pool is in use. PostgreSQL: Npgsql publishes its pool's connections by state on
/// its "Npgsql" meter (it has no public pool API), so this listens to that meter; the pool's size is our own
/// Postgres:MaxPoolSize. Redis: one multiplexed connection per server, shared by every grain and the membership.
/// </summary>
public sealed class ConnectionPoolUsage : IDisposable
{
    // Npgsql has named its connection-count instrument after both the older and the newer OpenTelemetry conventions.
    private static readonly string[] ConnectionCountInstruments = ["db.client.connections.usage", "db.client.connection.count"];
    private static readonly string[] StateTags = ["state", "db.client.connection.state"];
    private static readonly string[] PoolNameTags = ["pool.name", "db.client.connection.pool.name"];

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly IConnectionMultiplexer _redis;
    private readonly int _postgresMax;

    // Npgsql 10 observes its pools (absolute values, read on demand); an older one counted up and down (deltas).
    private long _postgresIdle;
    private long _postgresUsed;
    private bool _observable;

    public ConnectionPoolUsage(IConnectionMultiplexer redis, IOptions<PostgresOptions> postgres)
    {
        _redis = redis;
        _postgresMax = postgres.Value.MaxPoolSize;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && ConnectionCountInstruments.Contains(instrument.Name))
            {
                _observable |= instrument.IsObservable;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Count(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Count(value, tags));
        _listener.Start();
    }

    /// <summary>Connections of the store's pool by state: in_use, idle and max (PostgreSQL); in_use and max (Redis).</summary>
    public IReadOnlyDictionary<string, long> Of(string store) => store switch
    {
        "postgres" => Postgres(),
        "redis" => new Dictionary<string, long>
        {
            ["in_use"] = _redis.GetServers().Count(server => server.IsConnected),
            ["max"] = _redis.GetEndPoints().Length,
        },
        _ => new Dictionary<string, long>(),
    };

    public void Dispose() => _listener.Dispose();

    private Dictionary<string, long> Postgres()
    {
        lock (_gate)
        {
            if (_observable)
            {
                // Observations are totals per pool: start from zero and let this read sum them.
                _postgresIdle = 0;
                _postgresUsed = 0;
                _listener.RecordObservableInstruments();
            }

            return new Dictionary<string, long>
            {
                ["in_use"] = Interlocked.Read(ref _postgresUsed),
                ["idle"] = Interlocked.Read(ref _postgresIdle),
                ["max"] = _postgresMax,
            };
        }
    }

    private void Count(long delta, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Only MemorySync's own pool: Orleans' storage and reminders keep pools of their own in the same process.
        foreach (var tag in tags)
        {
            if (PoolNameTags.Contains(tag.Key) && tag.Value as string != Stores.StoreConnectionFactory.PoolName)
            {
                return;
            }
        }

        foreach (var tag in tags)
        {
            if (!StateTags.Contains(tag.Key))
            {
                continue;
            }

            if (tag.Value as string == "idle")
            {
                Interlocked.Add(ref _postgresIdle, delta);
            }
            else if (tag.Value as string == "used")
            {
                Interlocked.Add(ref _postgresUsed, delta);
            }
        }
    }
}
