using System.Globalization;
using MemorySync.Client;
using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>The real silo program, started as a process against the test stack, with its own database and cluster id.</summary>
public class RunningSiloFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private ThrowawayDatabase? _database;
    private DotnetProcess? _silo;
    private Dictionary<string, string> _siloEnvironment = [];

    public string ClusterId { get; } = $"e2e-{Guid.NewGuid():N}";

    public int HttpPort { get; } = FreePort.Next();

    /// <summary>The silo's own Redis key prefix: the shared test Redis holds other fixtures' memories too.</summary>
    public string KeyPrefix { get; } = TestStack.NewKeyPrefix();

    public HttpClient Http { get; private set; } = null!;

    public MemorySyncClientOptions ClientOptions => new()
    {
        RedisConnectionString = ClientRedisConnectionString,
        ClusterId = ClusterId,
    };

    /// <summary>The Redis for membership and working memory: the shared test Redis unless a subclass brings its own.</summary>
    protected virtual string RedisConnectionString => TestStack.RedisConnectionString;

    /// <summary>The Redis login of clients and the CLI: the membership-only user unless a subclass brings its own Redis.</summary>
    protected virtual string ClientRedisConnectionString => TestStack.ClientRedisConnectionString;

    /// <summary>The PostgreSQL the silo uses: a throwaway database on the test stack unless a subclass brings its own server.</summary>
    protected virtual string? PostgresConnectionString => null;

    /// <summary>More MEMSYNC_* settings for the silo process.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>();

    internal ThrowawayDatabase Database => _database ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The environment that points the silo, or the CLI, at this cluster.</summary>
    public Dictionary<string, string> Environment { get; private set; } = [];

    internal DotnetProcess Silo => _silo ?? throw new InvalidOperationException("the silo is not started");

    public virtual async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        Environment = new Dictionary<string, string>
        {
            ["MEMSYNC_Postgres__ConnectionString"] = PostgresConnectionString ?? _database.ConnectionString,
            ["MEMSYNC_Redis__ConnectionString"] = RedisConnectionString,
            ["MEMSYNC_Client__RedisConnectionString"] = ClientRedisConnectionString,
            ["MEMSYNC_Cluster__ClusterId"] = ClusterId,
            ["MEMSYNC_Redis__KeyPrefix"] = KeyPrefix,
        };
        _siloEnvironment = new Dictionary<string, string>(Environment)
        {
            ["MEMSYNC_Silo__HttpPort"] = HttpPort.ToString(CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["OPENBLAS_NUM_THREADS"] = "1",
            // Tests stage differences on purpose; fixtures that test sweeps set their own period.
            ["MEMSYNC_Consistency__SweepPeriod"] = "01:00:00",
        };
        foreach (var (key, value) in ExtraSiloSettings)
        {
            _siloEnvironment[key] = value;
        }

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        await StartSiloAsync();
    }

    /// <summary>Kills the silo process outright and starts a new one with the same settings.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await StartSiloAsync();
    }

    /// <summary>Kills the silo process outright (SIGKILL), as a crash would.</summary>
    public Task KillAsync() => Silo.DisposeAsync().AsTask();

    /// <summary>Starts the silo process again after <see cref="KillAsync"/>.</summary>
    public Task StartAsync() => StartSiloAsync();

    private async Task StartSiloAsync() => _silo = await SiloLauncher.StartAsync(_siloEnvironment, Http, StartDeadline);

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
