using System.Globalization;
using System.Text.Json;
using MemorySync.Consistency;
using MemorySync.Model;
using MemorySync.Testing;
using StackExchange.Redis;

namespace MemorySync.IntegrationTests.Consistency;

/// <summary>
/// Consistency against a real silo process and the real servers. Every difference is made directly in the store
/// (Redis commands, SQL, the index shard's own remove), never through a MemoryGrain.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(ConsistencyCollection.Name)]
public sealed class ConsistencyTests(ConsistencySiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Check_ReportsExactlyTheDamagedMemoriesAndStores_RepairFixesThem_AndRecordsEachRepair()
    {
        await RepairEverythingAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 6).Select(i => $"cc-{run}-{i}").ToList();
        var random = new Random(11);
        foreach (var id in ids)
        {
            await silo.Client.UpsertAsync(new MemoryWrite(id, $"The user keeps note {id} about green tea.", Embedding: TestVectors.Unit(random)));
        }

        var redis = silo.Redis.GetDatabase();
        var stores = silo.Stores;
        // 0: its Redis key deleted. 1: a field edited behind MemorySync's back.
        await redis.KeyDeleteAsync(stores.RedisKey(ids[0]));
        await redis.HashSetAsync(stores.RedisKey(ids[1]), "content", "edited by hand");
        // 2: its vector removed from the FAISS index, through the shard's own remove.
        var third = (await stores.PostgresAsync(ids[2]))!;
        await silo.Client.Grains.GetGrain<IIndexGrain>(IndexShards.ShardOf(ids[2], 1)).RemoveAsync(third.Label, third.Version);
        // An orphan: a Redis key for an id PostgreSQL never had.
        var ghost = $"cc-{run}-ghost";
        await redis.HashSetAsync(stores.RedisKey(ghost), [new HashEntry("memory_id", ghost), new HashEntry("version", "1"), new HashEntry("content", "never stored")]);
        // 4: Redis one version behind: version 1's sealed hash put back after version 2 was written.
        var versionOne = await redis.HashGetAllAsync(stores.RedisKey(ids[4]));
        await silo.Client.UpsertAsync(new MemoryWrite(ids[4], "The user switched to black tea.", Embedding: TestVectors.Unit(random), BaseVersion: 1));
        await redis.KeyDeleteAsync(stores.RedisKey(ids[4]));
        await redis.HashSetAsync(stores.RedisKey(ids[4]), versionOne);
        // 5: untouched.

        var expected = new SortedDictionary<string, string[]>(StringComparer.Ordinal)
        {
            [ids[0]] = ["redis"],
            [ids[1]] = ["redis"],
            [ids[2]] = ["faiss"],
            [ghost] = ["redis"],
            [ids[4]] = ["redis"],
        };
        Assert.Equal(expected, await CheckWithCliAsync());

        using var repaired = await CliJsonAsync("repair", "--json");
        var outcome = repaired.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetBoolean());
        Assert.Equal(expected.Keys, outcome.Keys.Order(StringComparer.Ordinal));
        Assert.All(outcome.Values, Assert.True);

        Assert.Empty(await CheckWithCliAsync());
        Assert.Equal(5L, await silo.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_transactions WHERE operation = 'repair' AND status = 'committed' AND memory_id LIKE 'cc-{run}-%'"));
        Assert.Equal("The user keeps note " + ids[1] + " about green tea.", (await stores.RedisAsync(ids[1]))!["content"]);
        Assert.Equal("1", (await stores.RedisAsync(ids[0]))!["version"]);
        Assert.Equal("2", (await stores.RedisAsync(ids[4]))!["version"]);
        Assert.Null(await stores.RedisAsync(ghost));
        Assert.Equal(1, (await stores.FaissAsync(ids[2], third.Label)).Occurrences);
    }

    [Fact]
    public async Task Sweep_RepairsAContentEditWhoseSealWasRecomputed_InRedis()
    {
        await RepairEverythingAsync();
        var id = $"reseal-{Guid.NewGuid():N}"[..24];
        const string original = "The user's allergy: penicillin.";
        await silo.Client.UpsertAsync(new MemoryWrite(id, original, Embedding: TestVectors.Unit(new Random(5))));
        var key = silo.Stores.RedisKey(id);
        // What anyone with write access to Redis can do: edit the content, keep the checksum, and seal the hash again
        // exactly as MemorySync's write scripts do (the seal is a plain SHA-1 of the fields, no secret).
        const string reseal = """
            redis.call('HSET', KEYS[1], 'content', ARGV[1])
            local f = redis.call('HMGET', KEYS[1], 'memory_id', 'agent_id', 'content', 'memory_type', 'importance', 'metadata',
                'checksum', 'version', 'embedding_model')
            for i = 1, 9 do f[i] = f[i] or '' end
            redis.call('HSET', KEYS[1], 'seal', redis.sha1hex(table.concat(f, '\0')))
            return 1
            """;
        await silo.Redis.GetDatabase().ScriptEvaluateAsync(reseal, [key], ["The user's allergy: none."]);
        Assert.Equal(1, (int)await silo.Redis.GetDatabase().ScriptEvaluateAsync(RedisSweepScripts.SealCheck, [key]));

        var partition = SweepHash.RangeOf(id) * ConsistencySiloFixture.Partitions / SweepHash.RangeCount;
        await silo.Client.Grains.GetGrain<IConsistencyGrain>(partition).SweepNowAsync();

        var content = await Eventually.ReturnsAsync(async () => (await silo.Stores.RedisAsync(id))?["content"], value => value == original,
            Deadline, "the sweep to put PostgreSQL's content back in Redis");
        Assert.Equal(original, content);
        Assert.Equal(1L, await silo.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM sync_transactions WHERE operation = 'repair' AND memory_id = '{id}'"));
    }

    [Fact]
    public async Task Repair_RefusesAStoreItCannotFix_AndRepairsNothing()
    {
        await RepairEverythingAsync();
        var id = $"cbad-{Guid.NewGuid():N}"[..20];
        await silo.Client.UpsertAsync(new MemoryWrite(id, "A memory whose Redis copy goes missing.", Embedding: TestVectors.Unit(new Random(3))));
        await silo.Redis.GetDatabase().KeyDeleteAsync(silo.Stores.RedisKey(id));

        var request = new Dictionary<string, IReadOnlyList<string>> { [id] = ["redis"], ["other-id"] = ["postgres"] };
        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => silo.Client.Operations.RepairInconsistenciesAsync(request));
        Assert.Contains("postgres", refused.Message, StringComparison.Ordinal);
        Assert.Null(await silo.Stores.RedisAsync(id));
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>($"SELECT count(*) FROM sync_transactions WHERE operation = 'repair' AND memory_id = '{id}'"));
        await RepairEverythingAsync();
    }

    [Fact]
    public async Task SweepKilledHalfWay_ResumesFromItsCheckpoint_AfterTheSiloRestarts()
    {
        await RepairEverythingAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        // Memories of partition 0 only (its ranges are the first quarter), so one partition's sweep has all the work.
        var ids = Enumerable.Range(0, 2000).Select(i => $"cr-{run}-{i}")
            .Where(id => SweepHash.RangeOf(id) < SweepHash.RangeCount / ConsistencySiloFixture.Partitions).Take(120).ToList();
        var random = new Random(7);
        var batch = await silo.Client.SyncBatchAsync(ids.Select(id => new MemoryWrite(id, $"sweep memory {id}", Embedding: TestVectors.Unit(random))).ToList());
        Assert.Equal(ids.Count, batch.Synced);
        foreach (var id in ids)
        {
            await silo.Redis.GetDatabase().KeyDeleteAsync(silo.Stores.RedisKey(id));
        }

        var partition = silo.Client.Grains.GetGrain<IConsistencyGrain>(0);
        await partition.SweepNowAsync();
        // The sweep checks 20 memories a second: catch it part-way through its detail phase, and kill the silo.
        var before = await Eventually.ReturnsAsync(partition.GetStatusAsync,
            status => status.Phase == SweepState.Detail && DetailDone(status) >= 10, Deadline, "a sweep part-way through its detail phase");
        Assert.True(DetailDone(before) < before.RangesDiffering - 10, $"the sweep got too far ({DetailDone(before)} of {before.RangesDiffering}) before the kill");
        await silo.RestartAsync();

        partition = silo.Client.Grains.GetGrain<IConsistencyGrain>(0);
        var after = await Eventually.ReturnsAsync(partition.GetStatusAsync,
            status => status.Phase == SweepState.Idle && status.LastSweep is not null, Deadline, "the resumed sweep finished");
        var sweep = after.LastSweep!;
        Assert.Equal(1, sweep.Resumes);
        Assert.NotNull(sweep.ResumedAtRange);
        Assert.True(sweep.ResumedAtRange > 0, "resumed from the checkpoint, not from the partition's first range");
        Assert.Equal(before.RangesDiffering, sweep.RangesDiffering);
        foreach (var id in ids)
        {
            Assert.Equal("1", (await silo.Stores.RedisAsync(id))?["version"]);
        }

        // Each memory repaired once: the ranges finished before the crash were not swept again.
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM (SELECT memory_id FROM sync_transactions WHERE operation = 'repair' AND memory_id LIKE 'cr-{run}-%'
                                  GROUP BY memory_id HAVING count(*) <> 1) AS twice
            """));
        Assert.Empty(await silo.Client.Operations.CheckConsistencyAsync());
    }

    [Fact]
    public async Task SiloRestart_RestoresTheIndexFromItsSnapshotPlusReplay_AndSearchesAnswerAsBefore()
    {
        await RepairEverythingAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(21);
        var writes = Enumerable.Range(0, 200).Select(i => new MemoryWrite($"cs-{run}-{i}", $"snapshot memory {i}", Embedding: TestVectors.Unit(random))).ToList();
        Assert.Equal(200, (await silo.Client.SyncBatchAsync(writes)).Synced);
        var shard = silo.Client.Grains.GetGrain<IIndexGrain>(0);
        await shard.SnapshotAsync();

        // While a second snapshot serializes, writes and a consistency check go on (and wait only for the flush).
        var concurrent = Enumerable.Range(200, 20)
            .Select(i => new MemoryWrite($"cs-{run}-{i}", $"snapshot memory {i}", Embedding: TestVectors.Unit(random))).ToList();
        var snapshotting = shard.SnapshotAsync();
        var writing = silo.Client.SyncBatchAsync(concurrent);
        var checking = silo.Client.Operations.CheckConsistencyAsync();
        await snapshotting;
        Assert.Equal(20, (await writing).Synced);
        await checking;
        await shard.SnapshotAsync();
        var snapshotVectors = (await shard.GetInfoAsync()).Vectors;

        // After the snapshot: 20 new memories, 10 updated with new vectors, 10 deleted.
        Assert.Equal(20, (await silo.Client.SyncBatchAsync(Enumerable.Range(220, 20)
            .Select(i => new MemoryWrite($"cs-{run}-{i}", $"snapshot memory {i}", Embedding: TestVectors.Unit(random))).ToList())).Synced);
        for (var i = 0; i < 10; i++)
        {
            await silo.Client.UpsertAsync(writes[i] with { Content = $"updated memory {i}", Embedding = TestVectors.Unit(random) });
            await silo.Client.DeleteAsync(writes[100 + i].MemoryId);
        }

        var queries = Enumerable.Range(0, 5).Select(_ => TestVectors.Unit(random)).ToList();
        var before = await SearchAllAsync(queries);
        var vectorsBefore = (await shard.GetInfoAsync()).Vectors;
        Assert.Equal(snapshotVectors + 20 - 10, vectorsBefore);

        await silo.RestartAsync();

        var info = await Eventually.ReturnsAsync(() => silo.Client.Grains.GetGrain<IIndexGrain>(0).GetInfoAsync(), _ => true, Deadline, "the shard's info");
        Assert.Equal("snapshot", info.LoadedFrom);
        Assert.Equal(40, info.Replayed);
        Assert.Equal(vectorsBefore, info.Vectors);
        var after = await SearchAllAsync(queries);
        Assert.Equal(before.Select(hits => hits.Select(hit => hit.MemoryId)), after.Select(hits => hits.Select(hit => hit.MemoryId)));
        Assert.Empty(await silo.Client.Operations.CheckConsistencyAsync());
    }

    [Fact]
    public async Task Reindex_ReembedsVectorsOfAnotherModelIntoAShadowIndex_WhileSearchesKeepAnswering()
    {
        await RepairEverythingAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] facts =
        [
            "The user's sister Hana lives in Osaka and teaches chemistry.",
            "The user is allergic to peanuts and carries an epinephrine pen.",
            "The user's favourite board game is Azul, played every Friday.",
            "The user drives a blue 2019 Subaru Outback.",
            "The user's cat Miso is afraid of the vacuum cleaner.",
        ];
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var id = $"ri-{run}-{i}";
            ids.Add(id);
            await silo.Client.UpsertAsync(new MemoryWrite(id, i < facts.Length ? facts[i] : $"Filler note {i} about the user's week.", AgentId: $"ri{run}"));
        }

        // The embedding model "changed": PostgreSQL holds vectors of an older model for every one of them.
        var random = new Random(5);
        await using (var connection = await silo.Database.DataSource.OpenConnectionAsync())
        {
            foreach (var id in ids)
            {
                await using var command = new Npgsql.NpgsqlCommand(
                    "UPDATE episodic_memory SET embedding = @embedding, embedding_model = 'legacy-model-v0' WHERE memory_id = @id", connection);
                command.Parameters.AddWithValue("embedding", TestVectors.Unit(random));
                command.Parameters.AddWithValue("id", id);
                await command.ExecuteNonQueryAsync();
            }
        }

        using var stop = new CancellationTokenSource();
        var searches = 0;
        var failures = new List<string>();
        var searching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _ = await silo.Client.SearchAsync(new SearchRequest("Which pet does the user have?", K: 3));
                    Interlocked.Increment(ref searches);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    lock (failures)
                    {
                        failures.Add(exception.Message);
                    }
                }
            }
        });

        var searchesBefore = Volatile.Read(ref searches);
        var results = await silo.Client.Operations.ReindexAsync(reembedAll: false, pollInterval: TimeSpan.FromMilliseconds(100));
        var searchesDuring = Volatile.Read(ref searches) - searchesBefore;
        await stop.CancelAsync();
        await searching;

        Assert.Empty(failures);
        Assert.True(searchesDuring > 0, "searches answered while the shadow index was built");
        var result = Assert.Single(results);
        Assert.Null(result.Error);
        Assert.Equal(ids.Count, result.Reembedded);
        Assert.Equal(0L, await silo.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM episodic_memory WHERE memory_id LIKE 'ri-{run}-%' AND embedding_model <> '{MiniLmModelId}'"));
        var top = await silo.Client.SearchAsync(new SearchRequest("Which pet does the user have?", K: 1, AgentId: $"ri{run}"));
        Assert.Equal(ids[4], Assert.Single(top).MemoryId);
        Assert.Empty(await silo.Client.Operations.CheckConsistencyAsync());
    }

    private const string MiniLmModelId = "sentence-transformers/all-MiniLM-L6-v2";

    private static int DetailDone(SweepStatus status) => status.RangesDone - (status.RangeCount - status.RangesDiffering);

    private async Task<List<IReadOnlyList<SearchHit>>> SearchAllAsync(IEnumerable<float[]> queries)
    {
        var results = new List<IReadOnlyList<SearchHit>>();
        foreach (var query in queries)
        {
            results.Add(await silo.Client.SearchAsync(new SearchRequest(Embedding: query, K: 10)));
        }

        return results;
    }

    // Tests share the fixture's stores: each starts from a consistent state, whatever ran before it.
    private async Task RepairEverythingAsync()
    {
        var found = await Eventually.ReturnsAsync(() => silo.Client.Operations.CheckConsistencyAsync(), _ => true, Deadline, "a consistency check");
        if (found.Count > 0)
        {
            await silo.Client.Operations.RepairInconsistenciesAsync(found);
        }
    }

    private async Task<SortedDictionary<string, string[]>> CheckWithCliAsync()
    {
        using var check = await CliJsonAsync("check", "--json");
        return new SortedDictionary<string, string[]>(
            check.RootElement.EnumerateObject().ToDictionary(property => property.Name,
                property => property.Value.EnumerateArray().Select(store => store.GetString()!).ToArray()),
            StringComparer.Ordinal);
    }

    private async Task<JsonDocument> CliJsonAsync(params string[] arguments)
    {
        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, silo.Environment, arguments);
        var exitCode = await cli.WaitForExitAsync(Deadline);
        Assert.True(exitCode == 0, $"memsync {string.Join(' ', arguments)} exited {exitCode.ToString(CultureInfo.InvariantCulture)}: {cli.Error}");
        return JsonDocument.Parse(cli.Output);
    }
}

[CollectionDefinition(Name)]
public sealed class ConsistencyCollection : ICollectionFixture<ConsistencySiloFixture>
{
    public const string Name = "consistency";
}
