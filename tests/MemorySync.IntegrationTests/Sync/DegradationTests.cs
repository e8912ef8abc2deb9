using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>Eventual mode with the real Redis server stopped and started again by the test.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class DegradationTests(DegradationFixture fixture) : IClassFixture<DegradationFixture>
{
    private static readonly TimeSpan ConvergenceDeadline = TimeSpan.FromSeconds(60);

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task RedisDown_WritesSucceed_ReadsFallBack_HealthDegrades_AndEverythingConvergesAfterItReturns()
    {
        var prefix = $"down-{Guid.NewGuid():N}"[..16];
        var random = new Random(21);
        var vectors = Enumerable.Range(0, 30).Select(_ => TestVectors.Unit(random)).ToArray();
        for (var i = 0; i < 10; i++)
        {
            await Write(prefix, i, $"before the outage {i}", vectors[i]);
        }

        await fixture.RedisServer.StopAsync();
        try
        {
            var during = new List<MemoryRecord>();
            for (var i = 5; i < 30; i++)
            {
                during.Add(await Write(prefix, i, $"during the outage {i}", vectors[i]));
            }

            Assert.All(during, record => Assert.True(record.StoreVersions.Redis < record.Version, "Redis cannot have taken a write while down"));
            Assert.All(during, record => Assert.Equal(record.Version, record.StoreVersions.Faiss));
            var hit = Assert.Single(await Grains.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(Embedding: vectors[20], K: 1)));
            Assert.Equal("during the outage 20", hit.Content);
            Assert.Equal("during the outage 7", (await Grains.GetGrain<IMemoryGrain>($"{prefix}-7").GetAsync())!.Content);
            var health = await Eventually.ReturnsAsync(() => Grains.GetGrain<IHealthGrain>(0).CheckAsync(),
                report => report.Stores.Single(store => store.Store == "redis").State == StoreState.Unhealthy, TimeSpan.FromSeconds(20), "redis unhealthy");
            Assert.Equal(StoreState.Degraded, health.Overall);
            Assert.True(health.Outbox!.Pending >= 25, $"outbox pending {health.Outbox.Pending}");
        }
        finally
        {
            await fixture.RedisServer.StartAsync();
        }

        await Eventually.ReturnsAsync(() => DivergentAsync(prefix, 30), divergent => divergent.Count == 0, ConvergenceDeadline,
            "every memory in Redis at PostgreSQL's version");
        Assert.Equal(0, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_queue WHERE memory_id LIKE '{prefix}-%' AND status <> 'done'"));
        Assert.Equal(0, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_transactions WHERE memory_id LIKE '{prefix}-%' AND status = 'pending'"));
    }

    // The multiplexer reconnects by itself; nothing may keep using the connection that died with the old server.
    [Fact]
    public async Task RedisRestarted_OnceItIsBack_200ConcurrentWritesAllReachRedisAtOnce_AndReadBack()
    {
        var prefix = $"restart-{Guid.NewGuid():N}"[..18];
        var probe = $"restart-probe-{Guid.NewGuid():N}"[..24];
        var random = new Random(23);
        // Probe memories activated beside the measured ones, so that they live on the same silos: a memory activated
        // after the restart may be placed on one silo only, and would show that silo's Redis connection back, not all.
        await Task.WhenAll(Enumerable.Range(0, 200).SelectMany(i => new[]
        {
            Write(prefix, i, $"before the restart {i}", TestVectors.Unit(random)),
            Write(probe, i, "probe before the restart", TestVectors.Unit(new Random(i))),
        }));

        await fixture.RedisServer.StopAsync();
        await fixture.RedisServer.StartAsync();

        // Back for every silo: a round of writes to all the probe memories reaches Redis (none left to the outbox).
        var round = 0;
        await Eventually.ReturnsAsync(() =>
            {
                round++;
                return Task.WhenAll(Enumerable.Range(0, 200).Select(i => Write(probe, i, $"probe round {round}", TestVectors.Unit(new Random(i)))));
            },
            records => records.All(record => record.StoreVersions.Redis == record.Version), TimeSpan.FromSeconds(30), "Redis taking writes again");

        var written = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Write(prefix, i, $"after the restart {i}", TestVectors.Unit(random))));

        var missed = written.Where(record => (record.Version, record.StoreVersions.Redis) != (2L, 2L)).Select(record => record.MemoryId).ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} of 200 writes did not reach Redis at once: {await WriteErrorsAsync(missed)}");
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"after the restart {i}", (await fixture.Stores.RedisAsync($"{prefix}-{i}"))!["content"]);
        }
    }

    [Fact]
    public async Task RetryDelays_GrowAsConfigured_UntilTheRowIsDeadLettered()
    {
        var id = $"retry-{Guid.NewGuid():N}";
        await fixture.RedisServer.StopAsync();
        try
        {
            await Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, "retried", Embedding: TestVectors.Unit(new Random(22))));
            var observed = new Dictionary<int, double>();
            await Eventually.ReturnsAsync(async () =>
            {
                var (attempts, delay, status) = await RedisRowAsync(id);
                // The first sight of each attempt count: later the drainer's claim (a lease) moves next_attempt_at on.
                if (attempts > 0)
                {
                    observed.TryAdd(attempts, delay);
                }

                return status;
            }, status => status == "dead", TimeSpan.FromSeconds(60), "dead-lettered");

            // Attempt n waits BaseDelay * 2^(n-1), capped at MaxDelay; no jitter in this fixture.
            for (var attempt = 1; attempt < DegradationFixture.MaxRetries; attempt++)
            {
                var expected = Math.Min(DegradationFixture.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), DegradationFixture.MaxDelay.TotalMilliseconds);
                Assert.True(observed.TryGetValue(attempt, out var actual), $"attempt {attempt} was not observed; saw {string.Join(", ", observed.Keys)}");
                Assert.InRange(actual, expected - 5, expected + 5);
            }

            var health = await Grains.GetGrain<IHealthGrain>(0).CheckAsync();
            Assert.True(health.Outbox!.Dead >= 1);
            Assert.True((await Grains.GetGrain<IStatsGrain>(0).GetAsync()).DeadSyncs >= 1, "stats should count the dead letter");
            Assert.Equal(StoreState.Degraded, health.Overall);
        }
        finally
        {
            await fixture.RedisServer.StartAsync();
        }
    }

    [Fact]
    public async Task DeadLetters_AfterRedisReturns_AreRetriedByThemselves_RedisHoldsTheNewestVersions_AndHealthIsHealthyAgain()
    {
        var prefix = $"redrive-{Guid.NewGuid():N}"[..20];
        var random = new Random(23);
        await fixture.RedisServer.StopAsync();
        try
        {
            // Three memories, the first written twice: its version 1 row is superseded by version 2's.
            for (var i = 0; i < 3; i++)
            {
                await Write(prefix, i, $"written while Redis was down {i}", TestVectors.Unit(random));
            }

            await Write(prefix, 0, "rewritten while Redis was down", TestVectors.Unit(random));
            await Eventually.ReturnsAsync(() => fixture.ScalarAsync<long>(
                    $"SELECT count(*) FROM sync_queue WHERE memory_id LIKE '{prefix}-%' AND store = 'redis' AND status = 'dead'"),
                dead => dead == 4, TimeSpan.FromSeconds(60), "every Redis row of the outage dead-lettered");
            Assert.Equal(StoreState.Degraded, (await Grains.GetGrain<IHealthGrain>(0).CheckAsync()).Overall);
        }
        finally
        {
            await fixture.RedisServer.StartAsync();
        }

        // Nobody asks: the silos see Redis healthy again and retry its dead letters with the normal backoff.
        await Eventually.ReturnsAsync(() => DivergentAsync(prefix, 3), divergent => divergent.Count == 0, ConvergenceDeadline,
            "every memory in Redis at PostgreSQL's (newest) version");
        Assert.Equal("rewritten while Redis was down", (await fixture.Stores.RedisAsync($"{prefix}-0"))!["content"]);
        Assert.Equal(0, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_queue WHERE memory_id LIKE '{prefix}-%' AND status <> 'done'"));
        var health = await Eventually.ReturnsAsync(() => Grains.GetGrain<IHealthGrain>(0).CheckAsync(),
            report => report.Overall == StoreState.Healthy, TimeSpan.FromSeconds(30), "healthy once nothing is dead");
        Assert.Equal(0, health.Outbox!.Dead);
    }

    [Fact]
    public async Task Strict_WithTheRealRedisStopped_FailsAndLeavesEveryStoreAtThePreviousRecord()
    {
        var id = $"strictdown-{Guid.NewGuid():N}";
        var grain = Grains.GetGrain<IMemoryGrain>(id);
        var previousVector = TestVectors.Unit(new Random(31));
        var previous = await grain.UpsertAsync(new MemoryWrite(id, "before", Embedding: previousVector));
        await fixture.RedisServer.StopAsync();
        try
        {
            await Assert.ThrowsAsync<StrictSyncException>(() =>
                grain.UpsertAsync(new MemoryWrite(id, "strict, during the outage", Embedding: TestVectors.Unit(new Random(32)), Mode: SyncMode.Strict)));

            var row = await fixture.Stores.PostgresAsync(id);
            Assert.Equal(1, row!.Version);
            var faiss = await fixture.Stores.FaissAsync(id, row.Label);
            Assert.Equal(previousVector, faiss.Vector);
            Assert.Equal(1, faiss.Occurrences);
            Assert.Equal("rolled_back", await fixture.ScalarAsync<string>(
                $"SELECT status FROM sync_transactions WHERE memory_id = '{id}' AND version = 2"));
        }
        finally
        {
            await fixture.RedisServer.StartAsync();
        }

        var redis = await Eventually.ReturnsAsync(() => fixture.Stores.RedisAsync(id), hash => hash is not null, TimeSpan.FromSeconds(30), "readable");
        Assert.Equal(previous.Checksum, redis!["checksum"]);
        Assert.Equal(previous.Checksum, (await grain.GetAsync())!.Checksum);
    }

    [Fact]
    public async Task Health_RedisStopped_GoesDegradedThenUnhealthy_AndHealthyAgainWithoutARestart()
    {
        var seen = new List<(StoreState State, int Failures)>();
        async Task<StoreHealth> RedisAsync()
        {
            var redis = (await Grains.GetGrain<IHealthGrain>(0).CheckAsync()).Stores.Single(store => store.Store == "redis");
            seen.Add((redis.State, redis.ConsecutiveFailures));
            return redis;
        }

        await Eventually.ReturnsAsync(RedisAsync, redis => redis.State == StoreState.Healthy, TimeSpan.FromSeconds(20), "healthy at first");
        var reconnectsBefore = (await RedisAsync()).Reconnects;
        await fixture.RedisServer.StopAsync();
        try
        {
            var unhealthy = await Eventually.ReturnsAsync(RedisAsync, redis => redis.State == StoreState.Unhealthy, TimeSpan.FromSeconds(20), "unhealthy");
            Assert.True(unhealthy.ConsecutiveFailures >= DegradationFixture.UnhealthyAfterFailures);
            Assert.True(unhealthy.SuccessRate < 1);
            var degraded = seen.Where(sample => sample.State == StoreState.Degraded).ToList();
            Assert.NotEmpty(degraded);
            Assert.All(degraded, sample => Assert.InRange(sample.Failures, 1, DegradationFixture.UnhealthyAfterFailures - 1));
        }
        finally
        {
            await fixture.RedisServer.StartAsync();
        }

        var healthy = await Eventually.ReturnsAsync(RedisAsync, redis => redis.State == StoreState.Healthy, TimeSpan.FromSeconds(30), "healthy again");
        Assert.Equal(0, healthy.ConsecutiveFailures);
        Assert.True(healthy.Reconnects > reconnectsBefore, "the recovery should count as a reconnect");
        Assert.True(healthy.LatencyP99Milliseconds >= healthy.LatencyP50Milliseconds);
    }

    // What the writes' sync transactions recorded as the secondary stores' errors, each distinct one once.
    private async Task<string> WriteErrorsAsync(IReadOnlyList<string> memoryIds)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT DISTINCT coalesce(error, '(none recorded)') FROM sync_transactions WHERE memory_id = ANY($1) AND version = 2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = memoryIds.ToArray() });
        var errors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            errors.Add(reader.GetString(0));
        }

        return string.Join(" | ", errors);
    }

    private async Task<MemoryRecord> Write(string prefix, int i, string content, float[] vector)
    {
        var id = $"{prefix}-{i}";
        return await Grains.GetGrain<IMemoryGrain>(id).UpsertAsync(new MemoryWrite(id, content, Embedding: vector));
    }

    private async Task<List<string>> DivergentAsync(string prefix, int count)
    {
        var divergent = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i}";
            var row = await fixture.Stores.PostgresAsync(id);
            IReadOnlyDictionary<string, string>? redis;
            try
            {
                redis = await fixture.Stores.RedisAsync(id);
            }
            catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The test's own connection may still be reconnecting to the restarted server: not converged yet.
                divergent.Add(id);
                continue;
            }

            if (row is null || redis is null || redis["version"] != row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) || redis["checksum"] != row.Checksum)
            {
                divergent.Add(id);
            }
        }

        return divergent;
    }

    private async Task<(int Attempts, double DelayMilliseconds, string Status)> RedisRowAsync(string id)
    {
        await using var command = fixture.DataSource.CreateCommand("""
            SELECT attempts, COALESCE(EXTRACT(EPOCH FROM next_attempt_at - last_attempt_at) * 1000, 0)::float8, status
            FROM sync_queue WHERE memory_id = @id AND store = 'redis'
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetDouble(1), reader.GetString(2));
    }
}
