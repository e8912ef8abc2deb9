using System.Globalization;
using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>Two real silo processes joined through Redis membership; one is killed while holding memories.</summary>
public sealed class TwoSiloClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly string _clusterId = $"two-{Guid.NewGuid():N}";
    private readonly string _keyPrefix = TestStack.NewKeyPrefix();
    private readonly string _scrapeToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private readonly List<(DotnetProcess Process, int HttpPort)> _silos = [];
    private ThrowawayDatabase? _database;

    private MemorySyncClientOptions ClientOptions => new MemorySyncClientOptions { RedisConnectionString = TestStack.ClientRedisConnectionString, ClusterId = _clusterId }.Presenting(ClusterCertificates.Harness);

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        for (var i = 0; i < 2; i++)
        {
            var httpPort = FreePort.Next();
            var silo = DotnetProcess.Start(RepoPaths.SiloDll, new Dictionary<string, string>
            {
                ["MEMSYNC_Postgres__ConnectionString"] = _database.ConnectionString,
                ["MEMSYNC_Redis__ConnectionString"] = TestStack.RedisConnectionString,
                ["MEMSYNC_Cluster__ClusterId"] = _clusterId,
                ["MEMSYNC_Redis__KeyPrefix"] = _keyPrefix,
                ["MEMSYNC_Silo__HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
                ["MEMSYNC_Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["MEMSYNC_Silo__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["OPENBLAS_NUM_THREADS"] = "1",
                ["MEMSYNC_Metrics__ScrapeToken"] = _scrapeToken,
            });
            _silos.Add((silo, httpPort));
        }

        using var http = new HttpClient();
        foreach (var (process, port) in _silos)
        {
            await Eventually.ReturnsAsync(async () => (int)(await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode,
                status => status == 200 || process.HasExited, Deadline, $"silo on {port} healthy");
            Assert.False(process.HasExited, $"a silo exited at start: {process.Error}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (process, _) in _silos)
        {
            await process.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task OneSiloKilled_EveryAcknowledgedMemoryStaysReadableAndSearchable_AndWritesSucceedOnTheSurvivor()
    {
        var random = new Random(1000);
        var writes = Enumerable.Range(0, 1000)
            .Select(i => new MemoryWrite($"two-{i:D4}", $"memory {i} of the two-silo cluster", Embedding: TestVectors.Unit(random)))
            .ToList();
        await using (var client = await MemorySyncClient.ConnectAsync(ClientOptions))
        {
            foreach (var batch in writes.Chunk(250))
            {
                var result = await client.SyncBatchAsync(batch);
                Assert.Empty(result.Errors);
            }

            // Both silos are listed, and the memories' grains are spread over them.
            var silos = await client.Operations.GetSilosAsync();
            Assert.Equal(2, silos.Count);
            Assert.All(silos, silo => Assert.True(silo.Hosts["memory"] > 0, $"{silo.Address} hosts no memory grain"));
            Assert.Equal(1000, silos.Sum(silo => silo.Hosts["memory"]));
        }

        // The silo about to die wrote some of these memories itself (its own sync counter moved), so the check below
        // covers grains that lived on it.
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _scrapeToken);
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{_silos[1].HttpPort}/metrics");
            var line = metrics.Split('\n').Single(l => l.StartsWith("memorysync_sync_total{outcome=\"success\",store=\"postgres\"}", StringComparison.Ordinal));
            Assert.True(double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) > 0, "the second silo hosted no memory");
        }

        await _silos[1].Process.DisposeAsync();

        await using var survivorClient = await MemorySyncClient.ConnectAsync(ClientOptions);
        var missing = new List<string>();
        foreach (var write in writes)
        {
            var record = await RetryAsync(() => survivorClient.GetAsync(write.MemoryId));
            var hit = await RetryAsync(() => survivorClient.SearchAsync(new SearchRequest(Embedding: write.Embedding, K: 1)));
            if (record?.Content != write.Content || hit.Count != 1 || hit[0].MemoryId != write.MemoryId)
            {
                missing.Add(write.MemoryId);
            }
        }

        Assert.Empty(missing);
        var fresh = await RetryAsync(() => survivorClient.UpsertAsync(new MemoryWrite("two-after-kill", "written on the survivor", Embedding: TestVectors.Unit(random))));
        Assert.Equal(1, fresh.Version);
        Assert.Equal(new StoreVersions(1, 1, 1), fresh.StoreVersions);
    }

    // Calls that reach a grain of the killed silo fail until membership declares it dead; then they succeed elsewhere.
    private static Task<T> RetryAsync<T>(Func<Task<T>> call) => Eventually.ReturnsAsync(call, _ => true, Deadline, "answered on the survivor");
}
