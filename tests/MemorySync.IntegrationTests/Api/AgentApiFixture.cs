using System.Globalization;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Keys;
using MemorySync.Testing;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Api;

/// <summary>
/// A real silo process with the agent API, and one key of each kind: write, read and admin, for two agents of the
/// fixture's own. The rate limit and the key cache are low, so that tests of them finish quickly.
/// </summary>
public class AgentApiFixture : ConnectedSiloFixture
{
    public const int RequestsPerSecond = 40;
    public const int KeyCacheSeconds = 1;
    public const int MaxBatchItems = 20;

    public string AgentA { get; } = $"alice{Guid.NewGuid():N}"[..16];

    public string AgentB { get; } = $"bob{Guid.NewGuid():N}"[..16];

    public CreatedApiKey WriteA { get; private set; } = null!;

    public CreatedApiKey ReadA { get; private set; } = null!;

    public CreatedApiKey WriteB { get; private set; } = null!;

    public CreatedApiKey Admin { get; private set; } = null!;

    /// <summary>
    /// A write key of agent A with a rate of its own far above the silo's, for a test's set-up writes: the classes that
    /// share the fixture must not drain the buckets of the keys they test with.
    /// </summary>
    public CreatedApiKey SeedA { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    internal StoreReader Stores => new(Database.DataSource, Redis, Client.Grains, KeyPrefix);

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Api__RequestsPerSecond"] = RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Api__RequestBurst"] = RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Api__KeyCacheSeconds"] = KeyCacheSeconds.ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Api__MaxBatchItems"] = MaxBatchItems.ToString(CultureInfo.InvariantCulture),
    };

    public override async Task InitializeAsync()
    {
        Redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        await base.InitializeAsync();
        WriteA = await CreateKeyAsync(ApiScope.Write, AgentA);
        ReadA = await CreateKeyAsync(ApiScope.Read, AgentA);
        WriteB = await CreateKeyAsync(ApiScope.Write, AgentB);
        Admin = await CreateKeyAsync(ApiScope.Admin);
        SeedA = await Client.Operations.CreateKeyAsync(new ApiKeyRequest([AgentA], ApiScope.Write, ExpiresAt: null, RequestsPerSecond: 10_000));
    }

    public Task<CreatedApiKey> CreateKeyAsync(ApiScope scope, params string[] agents) =>
        Client.Operations.CreateKeyAsync(new ApiKeyRequest(agents, scope, ExpiresAt: null));

    /// <summary>An HTTP client of this silo that presents <paramref name="key"/> (none when null).</summary>
    internal ApiHttp As(CreatedApiKey? key) => new(Http, key?.Key);

    internal ApiHttp WithToken(string token) => new(Http, token);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
