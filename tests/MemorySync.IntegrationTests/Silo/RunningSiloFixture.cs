using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using MemorySync.Client;
using MemorySync.Keys;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>The real silo program, started as a process against the test stack, with its own database and cluster id.</summary>
public class RunningSiloFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private ThrowawayDatabase? _database;
    private DotnetProcess? _silo;
    private Dictionary<string, string> _siloEnvironment = [];
    private readonly SemaphoreSlim _adminKeyGate = new(1, 1);
    private string? _adminKey;
    private HttpClient? _adminHttp;

    public string ClusterId { get; } = $"e2e-{Guid.NewGuid():N}";

    public int HttpPort { get; } = FreePort.Next();

    public int GatewayPort { get; } = FreePort.Next();

    /// <summary>The silo's own Redis key prefix: the shared test Redis holds other fixtures' memories too.</summary>
    public string KeyPrefix { get; } = TestStack.NewKeyPrefix();

    /// <summary>An HTTP client of this silo that presents no key (what anyone who reaches the port gets).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silo's Metrics:ScrapeToken.</summary>
    public string ScrapeToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>An HTTP client of this silo that presents the scrape token (for /metrics).</summary>
    public HttpClient MetricsHttp { get; private set; } = null!;

    /// <summary>The scheme of the silo's HTTP port: https when a subclass gives it a certificate.</summary>
    protected virtual string HttpScheme => "http";

    /// <summary>How the test's HTTP clients reach the silo (a subclass that serves HTTPS trusts its own CA here).</summary>
    protected virtual HttpMessageHandler CreateHttpHandler() => new HttpClientHandler();

    public MemorySyncClientOptions ClientOptions => new MemorySyncClientOptions
    {
        RedisConnectionString = ClientRedisConnectionString,
        ClusterId = ClusterId,
    }.Presenting(ClusterCertificates.Harness);

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
            // The CLI's last-seen gateways stay with the test stack, not in the user's state folder.
            ["MEMSYNC_Client__GatewayCacheFile"] = Path.Combine(TestStack.StateDirectory, "gateways", $"{ClusterId}.txt"),
        };
        _siloEnvironment = new Dictionary<string, string>(Environment)
        {
            ["MEMSYNC_Silo__HttpPort"] = HttpPort.ToString(CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MEMSYNC_Silo__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["OPENBLAS_NUM_THREADS"] = "1",
            // Tests stage differences on purpose; fixtures that test sweeps set their own period.
            ["MEMSYNC_Consistency__SweepPeriod"] = "01:00:00",
            ["MEMSYNC_Metrics__ScrapeToken"] = ScrapeToken,
        };
        foreach (var (key, value) in ExtraSiloSettings)
        {
            _siloEnvironment[key] = value;
        }

        Http = NewHttp(null);
        MetricsHttp = NewHttp(ScrapeToken);
        await StartSiloAsync();
    }

    /// <summary>An admin key of this silo's cluster, created (through the client) at the first call.</summary>
    public async Task<string> AdminKeyAsync()
    {
        await _adminKeyGate.WaitAsync();
        try
        {
            if (_adminKey is null)
            {
                await using var client = await MemorySyncClient.ConnectAsync(ClientOptions);
                _adminKey = (await client.Operations.CreateKeyAsync(new ApiKeyRequest([], ApiScope.Admin, ExpiresAt: null))).Key;
            }

            return _adminKey;
        }
        finally
        {
            _adminKeyGate.Release();
        }
    }

    /// <summary>An HTTP client of this silo that presents an admin key (the operator pages, the full /health).</summary>
    public async Task<HttpClient> AdminHttpAsync() => _adminHttp ??= NewHttp(await AdminKeyAsync());

    private HttpClient NewHttp(string? bearer)
    {
        var http = new HttpClient(CreateHttpHandler()) { BaseAddress = new Uri($"{HttpScheme}://127.0.0.1:{HttpPort}") };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return http;
    }

    /// <summary>Kills the silo process outright and starts a new one with the same settings.</summary>
    public virtual async Task RestartAsync()
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
        MetricsHttp.Dispose();
        _adminHttp?.Dispose();
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
