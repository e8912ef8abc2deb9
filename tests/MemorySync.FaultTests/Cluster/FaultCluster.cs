using System.Globalization;
using MemorySync.Client;
using MemorySync.Testing;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.FaultTests.Cluster;

/// <summary>
/// Two real silo processes on a Redis and a PostgreSQL of the suite's own, so a test may stop, flush, pause or kill
/// any of them. The silos repair quickly (outbox retries within a second, a sweep every few seconds), so the cluster
/// converges in seconds once a fault ends. On loopback by default; on a <see cref="NetworkFabric"/>, each silo runs in a
/// network namespace of its own, so that a test can partition the network between the silos and their clients.
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    public const int SiloCount = 2;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> _silos = [];
    private readonly NetworkFabric? _fabric;
    private readonly List<string> _timeline = [];
    private DateTime? _cutAt;

    public FaultCluster()
    {
        Redis = new OwnRedisServer();
        Postgres = new OwnPostgresServer();
    }

    /// <summary>A cluster on the fabric: the servers listen on its server address as well, the silos in its namespaces.</summary>
    internal FaultCluster(NetworkFabric fabric)
    {
        _fabric = fabric;
        Redis = new OwnRedisServer(alsoListenOn: fabric.ServerAddress);
        Postgres = new OwnPostgresServer(alsoListenOn: fabric.ServerAddress, alsoTrust: fabric.Subnet);
    }

    // Silos beyond the cluster's own two, started for one test (a skewed clock) and stopped at its end.
    private readonly List<SiloProcess> _guests = [];
    private readonly SkewedClock _guestClock = new();
    private DateTime? _frozenAt;

    public string ClusterId { get; } = $"faults-{Guid.NewGuid():N}";

    public string KeyPrefix { get; } = $"f{Guid.NewGuid():N}"[..13];

    internal OwnRedisServer Redis { get; }

    internal OwnPostgresServer Postgres { get; }

    public NpgsqlDataSource Database { get; private set; } = null!;

    public MemorySyncClientOptions ClientOptions => new MemorySyncClientOptions { RedisConnectionString = Redis.ConnectionString, ClusterId = ClusterId }.Presenting(ClusterCertificates.Harness);

    public async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await Postgres.InitializeAsync();
        Database = NpgsqlDataSource.Create(Postgres.ConnectionString);
        for (var i = 0; i < SiloCount; i++)
        {
            _silos.Add(new SiloProcess(SiloEnvironment(i), _fabric?.CommandPrefix(i)));
        }

        // The first silo applies the schema on its own; the others start beside each other once it is there.
        await StartSiloAsync(0);
        await Task.WhenAll(Enumerable.Range(1, SiloCount - 1).Select(StartSiloAsync));
    }

    /// <summary>Kills the silo outright (SIGKILL), as a crash would.</summary>
    public Task KillSiloAsync(int silo) => _silos[silo].KillAsync();

    /// <summary>Freezes the silo (SIGSTOP), its connections left open.</summary>
    public async Task PauseSiloAsync(int silo)
    {
        _frozenAt = await PostgresNowAsync();
        await _silos[silo].PauseAsync();
    }

    /// <summary>
    /// Restarts the silo with a failpoint armed (<c>Failpoints:Point</c>, at its <paramref name="atHit"/>-th arrival) and
    /// waits until the silo has killed itself there, under the load already running.
    /// </summary>
    public async Task CrashSiloAtFailpointAsync(int silo, string point, int atHit)
    {
        await _silos[silo].KillAsync();
        var reached = $"failpoint {point} reached";
        try
        {
            await _silos[silo].StartAsync(StartDeadline, new Dictionary<string, string>
            {
                ["MEMSYNC_Failpoints__Point"] = point,
                ["MEMSYNC_Failpoints__AtHit"] = atHit.ToString(CultureInfo.InvariantCulture),
            });
        }
        catch (InvalidOperationException exited) when (exited.Message.Contains(reached, StringComparison.Ordinal))
        {
            // The outbox drainer's catch-ups reached the point before the silo answered /health: dead already.
            _timeline.Add($"silo {silo} killed itself at failpoint {point} while it started");
            return;
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(_silos[silo].Died), died => died, StartDeadline,
            $"silo {silo} killed by its failpoint {point} (hit {atHit})");
        Assert.Contains(reached, _silos[silo].Error, StringComparison.Ordinal);
        _timeline.Add($"silo {silo} killed itself at failpoint {point} {Since(_silos[silo].DiedAt!.Value)}");
    }

    /// <summary>Starts a silo that died (a failpoint's crash) again, without the failpoint.</summary>
    public async Task RestartCrashedSiloAsync(int silo)
    {
        await _silos[silo].KillAsync();
        await StartSiloAsync(silo);
    }

    /// <summary>
    /// Lets a frozen silo run again once it has been frozen past the outbox retention: once no completed outbox row from
    /// before it froze is left (the survivor's purge deleted them), so whatever it held (snapshot positions, leases,
    /// activations) refers to rows that are gone. Then as <see cref="ResumeSiloAsync"/>.
    /// </summary>
    public async Task ResumeSiloPastRetentionAsync(int silo)
    {
        var frozenAt = _frozenAt ?? throw new InvalidOperationException("no silo was frozen");
        await using (var command = Database.CreateCommand("SELECT count(*) FROM sync_queue WHERE status = 'done' AND completed_at <= $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = frozenAt });
            // Outbox:RetainCompleted (40 s) plus the purge's one-minute cadence, with room for a busy machine.
            await Eventually.ReturnsAsync(async () => (long)(await command.ExecuteScalarAsync())!, left => left == 0, TimeSpan.FromMinutes(4),
                "every outbox row completed before the silo froze purged");
        }

        await ResumeSiloAsync(silo);
    }

    private async Task<DateTime> PostgresNowAsync()
    {
        await using var command = Database.CreateCommand("SELECT clock_timestamp()");
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Lets a frozen silo run again. Frozen past Orleans' liveness window (about 24 s), it was declared dead by the
    /// others and, running again, stops by itself, as Orleans has a silo do that finds itself dead: then it is started
    /// again, as its operator's supervisor would. Waits until either happened or the cluster lists every silo active.
    /// </summary>
    public async Task ResumeSiloAsync(int silo)
    {
        await _silos[silo].ResumeAsync();
        await RestartSilosDeclaredDeadAsync("the resumed silo active again, or stopped after it found itself declared dead");
    }

    /// <summary>Drops the packets silo 0 sends to silo 1, and, <paramref name="bothWays"/>, those silo 1 sends to silo 0.</summary>
    public async Task PartitionSilosAsync(bool bothWays)
    {
        _cutAt = DateTime.Now;
        await Fabric().CutSiloFromSiloAsync(0, 1);
        if (bothWays)
        {
            await Fabric().CutSiloFromSiloAsync(1, 0);
        }
    }

    /// <summary>
    /// Starts one more silo, on ports of its own, whose wall clock <see cref="StepGuestClockAsync"/> can step, and waits
    /// until the cluster lists it active (so that memories activated from now on may be placed on it).
    /// </summary>
    public async Task StartGuestSiloAsync()
    {
        var guest = new SiloProcess(GuestEnvironment());
        _guests.Add(guest);
        await guest.StartAsync(StartDeadline, _guestClock.Environment);
        await using var client = await ConnectClientAsync();
        await Eventually.ReturnsAsync(async () => (await client.Operations.GetSilosAsync()).Count(silo => silo.Status == "Active"),
            active => active == SiloCount + _guests.Count, StartDeadline, "the guest silo active");
    }

    /// <summary>
    /// Steps the guest silos' wall clock <paramref name="offset"/> off the true time ("+10m", "-10m"), and waits until
    /// each silo's clock check saw it (its log says its clock is beyond the allowed skew).
    /// </summary>
    public Task StepGuestClockAsync(string offset) => SetGuestClockAsync(offset, "more than Memory:MaxClockSkew");

    /// <summary>Steps the guest silos' wall clock back to the true time, and waits until each silo's clock check saw it.</summary>
    public Task RestoreGuestClockAsync() => SetGuestClockAsync("+0s", "back within Memory:MaxClockSkew");

    private async Task SetGuestClockAsync(string offset, string reported)
    {
        var logged = _guests.Select(guest => guest.Output.Length).ToList();
        _guestClock.Step(offset);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(_guests.Select((guest, i) => guest.Output[logged[i]..]).All(output => output.Contains(reported, StringComparison.Ordinal))),
            seen => seen, TimeSpan.FromSeconds(30), $"the guest silos' clock check reporting \"{reported}\"");
    }

    /// <summary>Stops every guest silo the way a supervisor does (SIGTERM).</summary>
    public async Task StopGuestSilosAsync()
    {
        foreach (var guest in _guests)
        {
            await guest.StopAsync(StopDeadline);
        }

        _guests.Clear();
    }

    /// <summary>
    /// Starts a silo, on ports of its own, whose wall clock is <paramref name="offset"/> off from its start; returns
    /// why it refused to start, or fails if it started.
    /// </summary>
    public async Task<string> StartSiloRefusedForClockAsync(string offset)
    {
        var silo = new SiloProcess(GuestEnvironment());
        try
        {
            await silo.StartAsync(StartDeadline, SkewedClock.Fixed(offset));
        }
        catch (InvalidOperationException refused)
        {
            return refused.Message;
        }
        finally
        {
            await silo.KillAsync();
        }

        throw new InvalidOperationException($"a silo with its clock {offset} off started");
    }

    /// <summary>Cuts the silo off from the harness's clients both ways; it still reaches the servers and the other silo.</summary>
    public Task CutClientsFromSiloAsync(int silo)
    {
        _cutAt = DateTime.Now;
        return Fabric().CutSiloFromClientsAsync(silo);
    }

    /// <summary>
    /// Removes every cut. A silo that the others declared dead during the partition stops by itself (at once if it
    /// still read the membership table, or once it hears of it after the heal); then it is started again, as its
    /// operator's supervisor would. Waits until either happened or the cluster lists every silo active.
    /// </summary>
    public async Task HealPartitionAsync()
    {
        await Fabric().HealAsync();
        _timeline.Add($"healed {Since(DateTime.Now)}");
        await RestartSilosDeclaredDeadAsync("every silo active after the heal, or stopped after it found itself declared dead");
    }

    /// <summary>
    /// What the cluster went through, in order: each silo that stopped by itself after it found itself declared dead
    /// (and was started again), and each heal, with when it happened.
    /// </summary>
    public IReadOnlyList<string> Timeline => _timeline;

    /// <summary>How many times a silo stopped by itself after it found itself declared dead, and was started again.</summary>
    public int RestartsAfterDeclaredDead { get; private set; }

    // Counted from the latest network cut, if any: how long Orleans took to act on it.
    private string Since(DateTime moment) => _cutAt is { } cut ? $"{(moment - cut).TotalSeconds:F1} s after the cut" : $"at {moment:HH:mm:ss.f}";

    private async Task RestartSilosDeclaredDeadAsync(string waitingFor)
    {
        await using var client = await ConnectClientAsync();
        await Eventually.ReturnsAsync(async () => _silos.Any(silo => silo.Died)
                || (await client.Operations.GetSilosAsync()).Count(entry => entry.Status == "Active") == SiloCount,
            done => done, StartDeadline, waitingFor);
        for (var i = 0; i < SiloCount; i++)
        {
            if (_silos[i].DiedAt is { } diedAt)
            {
                _timeline.Add($"silo {i} stopped by itself {Since(diedAt)} (declared dead), started again");
                await _silos[i].KillAsync();
                await StartSiloAsync(i);
                RestartsAfterDeclaredDead++;
            }
        }
    }

    private NetworkFabric Fabric() =>
        _fabric ?? throw new InvalidOperationException("this cluster runs on loopback: a partition needs a cluster on a NetworkFabric (see PartitionTests)");

    /// <summary>Starts every (killed) silo, all at once.</summary>
    public Task StartAllSilosAsync() => Task.WhenAll(Enumerable.Range(0, SiloCount).Select(StartSiloAsync));

    /// <summary>The stores read at rest once the cluster serves again, for a test that shows bad input changed nothing.</summary>
    internal async Task<StoresAtRest> StoresAtRestAsync()
    {
        await EnsureServingAsync();
        return await StoresAtRest.ReadAsync(Database, await ConnectClientAsync(), await ConnectRedisAsync(), KeyPrefix);
    }

    /// <summary>
    /// Makes the cluster serve new clients again after a scenario that failed half-way or left it unable to (see
    /// <see cref="Scenarios.FaultKind.RedisFlushed"/>): starts every silo that is not running (one that died by itself was
    /// reported by its scenario), and restarts them all if no new client can connect. One scenario's failure must not
    /// fail the next.
    /// </summary>
    public async Task EnsureServingAsync()
    {
        for (var i = 0; i < SiloCount; i++)
        {
            if (_silos[i].Died)
            {
                await _silos[i].KillAsync();
            }

            if (!_silos[i].Started)
            {
                await StartSiloAsync(i);
            }
        }

        var options = ClientOptions;
        options.ConnectTimeout = TimeSpan.FromSeconds(15);
        try
        {
            await using var client = await MemorySyncClient.ConnectAsync(options);
        }
        catch (ClusterUnreachableException)
        {
            // Membership went with Redis' data and the running silos did not write their entries again; started, they do.
            foreach (var silo in _silos)
            {
                await silo.KillAsync();
            }

            await StartAllSilosAsync();
        }
    }

    /// <summary>Writes what each silo printed so far to TestResults/silo-logs/{scenario}-silo{i}.log; answers the folder.</summary>
    public string SaveSiloLogs(string scenario)
    {
        var folder = Path.Combine(RepoPaths.Root, "TestResults", "silo-logs");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < _silos.Count; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"{scenario}-silo{i}.log"), _silos[i].Output + _silos[i].Error);
        }

        return folder;
    }

    /// <summary>The silos that stopped by themselves, with what each printed.</summary>
    public IReadOnlyList<string> DeadSilos() =>
    [
        .. _silos.Select((silo, i) => (silo, i)).Where(pair => pair.silo.Died).Select(pair => $"silo {pair.i} died: {pair.silo.Error}"),
        .. _guests.Where(guest => guest.Died).Select(guest => $"a skewed silo died: {guest.Error}"),
    ];

    /// <summary>Starts a killed silo again on the same ports, and waits until it answers /health.</summary>
    public Task StartSiloAsync(int silo) => _silos[silo].StartAsync(StartDeadline);

    /// <summary>Snapshots every index shard (so there is a snapshot to lose), then kills every silo.</summary>
    public async Task KillAllSilosAfterSnapshotAsync()
    {
        await using (var client = await ConnectClientAsync())
        {
            var layout = await client.Operations.GetLayoutAsync();
            await Task.WhenAll(Enumerable.Range(0, layout.IndexShards).Select(shard => client.Grains.GetGrain<IIndexGrain>(shard).SnapshotAsync()));
        }

        foreach (var silo in _silos)
        {
            await silo.KillAsync();
        }
    }

    /// <summary>Deletes every index snapshot from PostgreSQL; fails if there was none, since nothing would be tested.</summary>
    public async Task DeleteIndexSnapshotsAsync()
    {
        await using var command = Database.CreateCommand("DELETE FROM index_snapshots");
        if (await command.ExecuteNonQueryAsync() == 0)
        {
            throw new InvalidOperationException("no index snapshot to delete");
        }
    }

    public Task<MemorySyncClient> ConnectClientAsync() => MemorySyncClient.ConnectAsync(ClientOptions);

    /// <summary>Opens a connection to the suite's own Redis (the caller disposes it).</summary>
    public async Task<IConnectionMultiplexer> ConnectRedisAsync() =>
        await ConnectionMultiplexer.ConnectAsync($"{Redis.ConnectionString},abortConnect=false,connectTimeout=2000,syncTimeout=5000");

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos.Concat(_guests))
        {
            await silo.KillAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        _guestClock.Dispose();

        NpgsqlConnection.ClearAllPools();
        await Postgres.DisposeAsync();
        await Redis.DisposeAsync();
    }

    // A silo beyond the cluster's own, on fresh ports: on loopback only (a fabric has a namespace per silo of its own).
    private Dictionary<string, string> GuestEnvironment() =>
        _fabric is null ? SiloEnvironment(SiloCount) : throw new InvalidOperationException("guest silos run on a loopback cluster only");

    private Dictionary<string, string> SiloEnvironment(int silo) => new()
    {
        ["MEMSYNC_Postgres__ConnectionString"] = _fabric is null ? Postgres.ConnectionString : Postgres.ConnectionStringAt(_fabric.ServerAddress),
        ["MEMSYNC_Redis__ConnectionString"] = _fabric is null ? Redis.ConnectionString : Redis.ConnectionStringAt(_fabric.ServerAddress),
        ["MEMSYNC_Silo__AdvertisedAddress"] = _fabric?.SiloAddress(silo) ?? "127.0.0.1",
        ["MEMSYNC_Silo__HttpAddress"] = _fabric?.SiloAddress(silo) ?? "127.0.0.1",
        ["MEMSYNC_Cluster__ClusterId"] = ClusterId,
        ["MEMSYNC_Redis__KeyPrefix"] = KeyPrefix,
        ["MEMSYNC_Silo__HttpPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["MEMSYNC_Silo__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["OPENBLAS_NUM_THREADS"] = "1",
        // Repair fast, so convergence after a fault is measured in seconds: retries every few hundred milliseconds
        // (never dead-lettered during a fault of the suite's length), and a sweep of every partition every 5 s.
        ["MEMSYNC_Outbox__PollInterval"] = "00:00:00.200",
        ["MEMSYNC_Outbox__WriterGrace"] = "00:00:00.500",
        ["MEMSYNC_Outbox__BaseDelay"] = "00:00:00.300",
        ["MEMSYNC_Outbox__MaxDelay"] = "00:00:01",
        ["MEMSYNC_Outbox__MaxRetries"] = "100000",
        ["MEMSYNC_Consistency__SweepPeriod"] = "00:00:05",
        ["MEMSYNC_Silo__MinimumReminderPeriod"] = "00:00:01",
        // Completed outbox rows kept 40 s (a snapshot every 20 s, as the validator asks): short enough that a silo can be
        // frozen past it within a test (FaultKind.SiloPausedPastRetention), and every scenario replays from snapshots
        // near the edge of what is kept.
        ["MEMSYNC_Outbox__RetainCompleted"] = "00:00:40",
        ["MEMSYNC_Faiss__SnapshotInterval"] = "00:00:20",
        // A strict write frozen with its transaction open frees the memory's row after 20 s (twice the suite's 10 s grain
        // call timeout), not when the frozen silo's process finally goes (seen: a memory unwritable for 180 s).
        ["MEMSYNC_Postgres__StrictTransactionIdleSeconds"] = "20",
    };
}
