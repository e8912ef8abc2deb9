using MemorySync.Keys;
using MemorySync.Operations;

namespace MemorySync.Client;

/// <summary>
/// The operator's side of the cluster (the trusted path the CLI uses): consistency checks and repairs, reindex, sweep
/// control, API keys, and the probes the benchmark reads. Agents use <see cref="MemorySyncClient"/> or the HTTP API.
/// </summary>
public sealed class MemorySyncOperations
{
    private readonly IClusterClient _cluster;

    internal MemorySyncOperations(IClusterClient cluster)
    {
        _cluster = cluster;
    }

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
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckConsistencyAsync(IProgress<int>? progress = null) =>
        ConsistencyRuns.CheckAsync(_cluster, progress);

    /// <summary>
    /// Makes each listed store of each listed memory hold what PostgreSQL holds (the seed's repair_inconsistencies());
    /// returns per memory whether it worked. An unknown store or an invalid id refuses the whole request, repairing nothing.
    /// </summary>
    public Task<IReadOnlyDictionary<string, bool>> RepairInconsistenciesAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies, IProgress<int>? progress = null) =>
        ConsistencyRuns.RepairAsync(_cluster, inconsistencies, progress);

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
    public Task<IReadOnlyList<ReindexProgress>> ReindexAsync(bool reembedAll, IProgress<IReadOnlyList<ReindexProgress>>? progress = null,
        TimeSpan? pollInterval = null, CancellationToken cancellationToken = default) =>
        ReindexRuns.RunAsync(_cluster, reembedAll, progress, pollInterval, cancellationToken);

    /// <summary>What Redis and FAISS still owe (pending rows), what was given up on (dead letters), and the oldest pending row's age.</summary>
    public Task<OutboxStatus> GetOutboxStatusAsync() => _cluster.GetGrain<IOutboxGrain>(0).GetStatusAsync();

    /// <summary>
    /// Puts every dead letter of <paramref name="store"/> (<c>redis</c>, <c>faiss</c> or <c>all</c>) back to pending,
    /// for the outbox drainer to retry with the normal backoff; rows the store no longer needs are closed instead.
    /// (Silos do this by themselves when they see a store recover; this is the operator's way to ask now.)
    /// </summary>
    /// <exception cref="MemoryValidationException">The store is not one of redis, faiss or all; nothing was changed.</exception>
    public Task<OutboxRetryResult> RetryDeadLettersAsync(string store = "all", CancellationToken cancellationToken = default) =>
        OutboxRetries.RunAsync(_cluster, store, cancellationToken);

    /// <summary>Makes an API key for the HTTP API and MCP; the result holds its secret, shown this once.</summary>
    /// <exception cref="MemoryValidationException">The request is invalid; no key was made.</exception>
    public Task<CreatedApiKey> CreateKeyAsync(ApiKeyRequest request) => _cluster.GetGrain<IApiKeysGrain>(0).CreateAsync(request);

    /// <summary>Every API key (never a secret), revoked and expired ones included.</summary>
    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync() => _cluster.GetGrain<IApiKeysGrain>(0).ListAsync();

    /// <summary>Revokes a key; every silo refuses it within Api:KeyCacheSeconds. False when there is no such key.</summary>
    public Task<bool> RevokeKeyAsync(string keyId) => _cluster.GetGrain<IApiKeysGrain>(0).RevokeAsync(keyId);
}
