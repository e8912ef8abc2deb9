using MemorySync.Client;
using Npgsql;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// One side of <c>bench tls</c>: a one-silo cluster of its own on the stack's servers (its own cluster id, PostgreSQL
/// schema and Redis key prefix, so it shares no memory, grain or index shard with the cluster being served), with
/// mutual TLS on or off, and a client connected to its gateway. Disposing it stops the silo and removes what it wrote.
/// </summary>
internal sealed class TlsBenchCluster : IAsyncDisposable
{
    private readonly NpgsqlDataSource _postgres;
    private readonly ConnectionMultiplexer _redis;
    private readonly BenchSilo _silo;

    public const string PlainName = "memsync-bench-tls-off";
    public const string SecuredName = "memsync-bench-tls-on";
    public const string ControlName = "memsync-bench-tls-control";

    private TlsBenchCluster(string name, bool tls, NpgsqlDataSource postgres, ConnectionMultiplexer redis, BenchSilo silo, MemorySyncClient client)
    {
        Name = name;
        Tls = tls;
        _postgres = postgres;
        _redis = redis;
        _silo = silo;
        Client = client;
    }

    public bool Tls { get; }

    public int SiloProcessId => _silo.ProcessId;

    public MemorySyncClient Client { get; }

    /// <summary>The cluster id, which also names its PostgreSQL schema and Redis key prefix.</summary>
    public string Name { get; }

    // PostgreSQL folds unquoted names to lower case and takes no '-' in them.
    private static string SchemaOf(string name) => name.Replace('-', '_');

    public static async Task<TlsBenchCluster> StartAsync(string name, bool tls, string siloProgram, string postgresConnectionString, NpgsqlDataSource postgres,
        ConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        await RemoveWhatARunLeftAsync(name, postgres, redis);
        // The migrations create pgcrypto where the search path points first, when the database has none yet: it must
        // not land in a bench schema, whose DROP ... CASCADE would take it (and the columns computed with it) along.
        await ExecuteAsync(postgres, "CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public");
        await ExecuteAsync(postgres, $"CREATE SCHEMA {SchemaOf(name)}");
        var settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(variable => variable.StartsWith(ClusterDefaults.EnvironmentPrefix, StringComparison.Ordinal))
            .ToDictionary(variable => variable, variable => Environment.GetEnvironmentVariable(variable)!, StringComparer.Ordinal);
        settings["MEMSYNC_Tls__Enabled"] = tls ? "true" : "false";
        settings["MEMSYNC_Cluster__ClusterId"] = name;
        settings["MEMSYNC_Redis__KeyPrefix"] = name;
        settings["MEMSYNC_Postgres__ConnectionString"] = new NpgsqlConnectionStringBuilder(postgresConnectionString) { SearchPath = $"{SchemaOf(name)}, public" }.ConnectionString;
        // The rows time the requests only: no sweep or snapshot should run between them.
        settings["MEMSYNC_Consistency__SweepPeriod"] = "01:00:00";

        var log = Path.Combine(Path.GetTempPath(), $"{name}-silo.log");
        var silo = await BenchSilo.StartAsync(siloProgram, settings, log, TimeSpan.FromMinutes(2), cancellationToken);
        try
        {
            var options = MemorySyncClientOptions.FromConfiguration(CliContext.Settings);
            options.ClusterId = name;
            options.Gateways = [$"127.0.0.1:{silo.GatewayPort}"];
            options.TlsEnabled = tls;
            var client = await MemorySyncClient.ConnectAsync(options, cancellationToken);
            return new TlsBenchCluster(name, tls, postgres, redis, silo, client);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _silo.DisposeAsync();
        await RemoveWhatARunLeftAsync(Name, _postgres, _redis);
    }

    // The schema, the working memory under the key prefix and the membership table: the next run starts from nothing
    // (an earlier silo's entry, still "active" in the table, would have the new silo probe a dead port first).
    private static async Task RemoveWhatARunLeftAsync(string name, NpgsqlDataSource postgres, ConnectionMultiplexer redis)
    {
        await ExecuteAsync(postgres, $"DROP SCHEMA IF EXISTS {SchemaOf(name)} CASCADE");
        var database = redis.GetDatabase();
        foreach (var keys in redis.GetServers()[0].Keys(pattern: name + ":*", pageSize: 1000).Chunk(1000))
        {
            await database.KeyDeleteAsync(keys);
        }

        await database.KeyDeleteAsync(RedisClusteringOptions.DefaultCreateRedisKey(new ClusterOptions { ClusterId = name, ServiceId = ServiceIdOf() }));
    }

    private static string ServiceIdOf() => CliContext.Settings["Cluster:ServiceId"] is { Length: > 0 } serviceId ? serviceId : ClusterDefaults.ServiceId;

    private static async Task ExecuteAsync(NpgsqlDataSource postgres, string sql)
    {
        await using var command = postgres.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
