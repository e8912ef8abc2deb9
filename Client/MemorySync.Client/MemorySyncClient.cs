using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MemorySync.Client;

/// <summary>
/// The typed facade agent hosts use: connects to the cluster through Redis membership and exposes MemorySync's
/// operations without Orleans types. Thread-safe; create one per process and dispose it at shutdown.
/// </summary>
public sealed class MemorySyncClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IClusterClient _cluster;
    private readonly string _writerId;

    private MemorySyncClient(IHost host, string writerId)
    {
        _host = host;
        _cluster = host.Services.GetRequiredService<IClusterClient>();
        _writerId = writerId;
    }

    /// <summary>Connects to the cluster, or throws <see cref="ClusterUnreachableException"/> saying where it looked.</summary>
    public static async Task<MemorySyncClient> ConnectAsync(MemorySyncClientOptions options, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.RedisConnectionString));
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrleansException or RedisException or OperationCanceledException or TimeoutException)
        {
            host.Dispose();
            var where = string.Join(", ", ConfigurationOptions.Parse(options.RedisConnectionString).EndPoints.Select(endpoint => endpoint.ToString()));
            throw new ClusterUnreachableException(
                $"no MemorySync silo answered (membership in Redis at {where}, cluster {options.ClusterId}, service {options.ServiceId}): {exception.Message}",
                exception);
        }

        return new MemorySyncClient(host, options.WriterId);
    }

    private IMemoryGrain Memory(string memoryId)
    {
        if (string.IsNullOrEmpty(memoryId))
        {
            throw new MemoryValidationException("memory_id", "must not be empty");
        }

        return _cluster.GetGrain<IMemoryGrain>(memoryId);
    }

    /// <summary>Probes Redis, PostgreSQL and FAISS from the silo this client reached.</summary>
    public Task<HealthReport> CheckHealthAsync() => _cluster.GetGrain<IHealthGrain>(0).CheckAsync();

    /// <summary>Stores a new version of the memory in PostgreSQL, Redis and FAISS and returns it.</summary>
    /// <exception cref="MemoryValidationException">The write is invalid; nothing was stored.</exception>
    public Task<MemoryRecord> UpsertAsync(MemoryWrite memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return Memory(memory.MemoryId).UpsertAsync(UnicodeGuard.Check(memory) with
        {
            WriterId = memory.WriterId ?? _writerId,
            Timestamp = memory.Timestamp ?? HybridLogicalClock.Shared.Next(),
        });
    }

    /// <summary>The memory's current version, or null when it does not exist (or was deleted).</summary>
    public Task<MemoryRecord?> GetAsync(string memoryId) => Memory(memoryId).GetAsync();

    /// <summary>Deletes the memory everywhere (a versioned tombstone stays in PostgreSQL's history); null if it did not exist.</summary>
    public Task<MemoryRecord?> DeleteAsync(string memoryId) => Memory(memoryId).DeleteAsync();

    /// <summary>Every version of the memory, oldest first.</summary>
    public Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync(string memoryId) => Memory(memoryId).HistoryAsync();

    /// <summary>Semantic search by text or by vector.</summary>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        UnicodeGuard.Require("text", request.Text);
        return _cluster.GetGrain<ISearchGrain>(0).SearchAsync(request);
    }

    /// <summary>Stores many memories; the result says which were refused and why.</summary>
    public async Task<BatchSyncResult> SyncBatchAsync(IReadOnlyList<MemoryWrite> memories)
    {
        ArgumentNullException.ThrowIfNull(memories);
        var refused = new List<BatchSyncError>();
        var sendable = new List<MemoryWrite>(memories.Count);
        foreach (var memory in memories)
        {
            try
            {
                sendable.Add(UnicodeGuard.Check(memory) with { WriterId = memory.WriterId ?? _writerId });
            }
            catch (MemoryValidationException exception)
            {
                refused.Add(new BatchSyncError(memory.MemoryId, exception.Message));
            }
        }

        if (refused.Count == 0)
        {
            return await _cluster.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(sendable).ConfigureAwait(false);
        }

        var result = await _cluster.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(sendable).ConfigureAwait(false);
        return new BatchSyncResult(result.Synced, result.Failed + refused.Count, [.. refused, .. result.Errors]);
    }

    /// <summary>Sync statistics from PostgreSQL: memories, outbox and dead letters, transactions, conflicts.</summary>
    public Task<SyncStatistics> GetStatisticsAsync() => _cluster.GetGrain<IStatsGrain>(0).GetAsync();

    /// <summary>Conflicts waiting for an operator.</summary>
    public Task<IReadOnlyList<ConflictInfo>> ListConflictsAsync() => _cluster.GetGrain<IConflictsGrain>(0).ListOpenAsync();

    /// <summary>Settles a memory's open conflict; all three stores take the resolved version.</summary>
    public Task<MemoryRecord> ResolveAsync(string memoryId, ConflictChoice choice, string? content = null)
    {
        UnicodeGuard.Require("content", content);
        return Memory(memoryId).ResolveAsync(choice, content);
    }

    /// <summary>The grains themselves (index shards, consistency partitions), for operators' tools that need more than this facade.</summary>
    public IGrainFactory Grains => _cluster;

    /// <summary>Every index shard: its size and index type, whether it was restored from a snapshot or rebuilt, and any reindex.</summary>
    public async Task<IReadOnlyList<IndexShardInfo>> GetIndexInfoAsync()
    {
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        return await Task.WhenAll(Enumerable.Range(0, layout.IndexShards).Select(shard => _cluster.GetGrain<IIndexGrain>(shard).GetInfoAsync()))
            .ConfigureAwait(false);
    }

    /// <summary>How the cluster divides its work into consistency partitions and index shards.</summary>
    public Task<ClusterLayout> GetLayoutAsync() => _cluster.GetGrain<IStatsGrain>(0).GetLayoutAsync();

    /// <summary>
    /// Compares every memory across PostgreSQL, Redis and FAISS now (partition by partition, reporting each one done to
    /// <paramref name="progress"/>) and returns, per memory that differs, the stores that do (the seed's check_consistency()).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckConsistencyAsync(IProgress<int>? progress = null)
    {
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        var found = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var done = 0;
        // Two partitions at a time: each check already keeps a silo and the stores busy.
        foreach (var pair in Enumerable.Range(0, layout.ConsistencyPartitions).Chunk(2))
        {
            var results = await Task.WhenAll(pair.Select(partition => _cluster.GetGrain<IConsistencyGrain>(partition).CheckAsync())).ConfigureAwait(false);
            foreach (var (memoryId, stores) in results.SelectMany(result => result))
            {
                found[memoryId] = stores;
            }

            done += pair.Length;
            progress?.Report(done);
        }

        return found;
    }

    /// <summary>
    /// Makes each listed store of each listed memory hold what PostgreSQL holds (the seed's repair_inconsistencies());
    /// returns per memory whether it worked. An unknown store or an invalid id refuses the whole request, repairing nothing.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, bool>> RepairInconsistenciesAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inconsistencies);
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        // Refuse a bad request before any chunk is repaired, not half-way through (the silo checks each chunk again).
        ValidateRepairRequest(inconsistencies);
        var chunks = inconsistencies.Chunk(500).ToList();

        var results = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        var done = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i].ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            var repaired = await _cluster.GetGrain<IConsistencyGrain>(i % layout.ConsistencyPartitions).RepairAsync(chunk).ConfigureAwait(false);
            foreach (var (memoryId, ok) in repaired)
            {
                results[memoryId] = ok;
            }

            done += chunk.Count;
            progress?.Report(done);
        }

        return results;
    }

    /// <summary>Every partition's sweep: running or idle, progress, and the last finished sweep.</summary>
    public Task<IReadOnlyList<SweepStatus>> GetSweepStatusAsync() => _cluster.GetGrain<IStatsGrain>(0).GetSweepsAsync();

    /// <summary>The active silos and what each hosts.</summary>
    public Task<IReadOnlyList<SiloInfo>> GetSilosAsync() => _cluster.GetGrain<IStatsGrain>(0).GetSilosAsync();

    /// <summary>
    /// Deactivates, on every silo, the grains idle for at least <paramref name="idleFor"/> (those that keep themselves
    /// alive, such as index shards, stay): memory a silo holds only for grains no one uses is returned.
    /// </summary>
    public Task CollectIdleActivationsAsync(TimeSpan idleFor) => _cluster.GetGrain<IManagementGrain>(0).ForceActivationCollection(idleFor);

    /// <summary>Each silo's process memory by address, optionally after a full garbage collection on each.</summary>
    public Task<IReadOnlyDictionary<string, ProcessMemory>> GetSiloMemoryAsync(bool collectGarbageFirst) =>
        _cluster.GetGrain<IStatsGrain>(0).GetSiloMemoryAsync(collectGarbageFirst);

    /// <summary>Stops reminder-driven sweeps from starting for this long (zero resumes them); requested sweeps still run.</summary>
    public async Task PauseSweepRemindersAsync(TimeSpan duration)
    {
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        await Task.WhenAll(Enumerable.Range(0, layout.ConsistencyPartitions)
            .Select(partition => _cluster.GetGrain<IConsistencyGrain>(partition).PauseRemindersAsync(duration))).ConfigureAwait(false);
    }

    /// <summary>Starts a sweep of every partition now (a partition already sweeping starts another when it is done).</summary>
    public async Task<IReadOnlyList<SweepStatus>> SweepNowAsync()
    {
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        return await Task.WhenAll(Enumerable.Range(0, layout.ConsistencyPartitions)
            .Select(partition => _cluster.GetGrain<IConsistencyGrain>(partition).SweepNowAsync())).ConfigureAwait(false);
    }

    /// <summary>
    /// Rebuilds every index shard from PostgreSQL into a shadow index and swaps it in (searches go on meanwhile),
    /// embedding again what another model embedded (or everything, with <paramref name="reembedAll"/>). Reports the
    /// shards' progress every <paramref name="pollInterval"/> and returns each shard's outcome.
    /// </summary>
    public async Task<IReadOnlyList<ReindexProgress>> ReindexAsync(bool reembedAll, IProgress<IReadOnlyList<ReindexProgress>>? progress = null,
        TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var layout = await GetLayoutAsync().ConfigureAwait(false);
        var shards = Enumerable.Range(0, layout.IndexShards).Select(shard => _cluster.GetGrain<IIndexGrain>(shard)).ToList();
        await Task.WhenAll(shards.Select(shard => shard.StartReindexAsync(reembedAll))).ConfigureAwait(false);
        while (true)
        {
            var states = await Task.WhenAll(shards.Select(shard => shard.GetReindexProgressAsync())).ConfigureAwait(false);
            var known = states.OfType<ReindexProgress>().ToList();
            progress?.Report(known);
            if (known.Count == shards.Count && known.All(state => !state.Running))
            {
                return known;
            }

            if (known.Count < shards.Count)
            {
                throw new OrleansException("an index shard was reactivated during the reindex (a silo stopped); run reindex again");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ValidateRepairRequest(IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies)
    {
        foreach (var (memoryId, stores) in inconsistencies)
        {
            if (string.IsNullOrEmpty(memoryId) || memoryId.Length > 512 ||
                !memoryId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                throw new MemoryValidationException("memory_id", $"'{memoryId}' is not a memory id (1-512 characters of A-Z a-z 0-9 . _ : -)");
            }

            if (stores is null || stores.Count == 0)
            {
                throw new MemoryValidationException("stores", $"memory {memoryId} lists no store to repair");
            }

            var unknown = stores.FirstOrDefault(store => store is not ("redis" or "faiss"));
            if (unknown is not null)
            {
                throw new MemoryValidationException("stores",
                    $"\"{unknown}\" (memory {memoryId}) is not a store a repair can fix; use redis or faiss (PostgreSQL is the source of truth)");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
