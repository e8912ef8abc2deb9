using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Messaging;
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
        Operations = new MemorySyncOperations(_cluster);
    }

    /// <summary>Connects to the cluster, or throws <see cref="ClusterUnreachableException"/> saying where it looked.</summary>
    public static async Task<MemorySyncClient> ConnectAsync(MemorySyncClientOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var configured = FallbackGatewayList.Parse(options.Gateways);
        var cache = options.GatewayCacheFile is { Length: > 0 } cacheFile ? new GatewayCache(cacheFile) : null;
        var tls = options.TlsEnabled ? ClientTls.From(options) : null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            if (tls is not null)
            {
                client.UseTls(tls);
            }

            // Only reads of the membership table: the client may connect as a Redis user that can do nothing else.
            var redis = ConfigurationOptions.Parse(options.RedisConnectionString);
            client.Services.AddSingleton<IGatewayListProvider>(services =>
                new FallbackGatewayList(ActivatorUtilities.CreateInstance<RedisGatewayReader>(services, redis), configured, cache));
            // A client learns of a silo that started (or came back) only from this list; a dead gateway it notices at
            // once, by its connection's reset.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
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
                $"no MemorySync silo answered (membership in Redis at {where}, cluster {options.ClusterId}, service {options.ServiceId}; " +
                $"{FallbackDescription(configured, cache)}): {exception.Message}",
                exception);
        }

        return new MemorySyncClient(host, options.WriterId);
    }

    // Where the client looked besides Redis, so an operator whose Redis is down knows what to set.
    private static string FallbackDescription(IReadOnlyList<Uri> configured, GatewayCache? cache)
    {
        var gateways = configured.Count > 0
            ? $"gateways {string.Join(", ", configured)}"
            : "no gateway configured: set Client:Gateways (MEMSYNC_Client__Gateways=host:port,...) to connect while Redis is down";
        var cached = cache is null ? "no gateway cache" : cache.Load().Count > 0 ? $"cached gateways in {cache.Path}" : $"none cached in {cache.Path}";
        return $"{gateways}; {cached}";
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
    /// <exception cref="CallInterruptedException">
    /// The call could not finish (its silo died, or no reply in time); the write may have been stored, and sending it
    /// again is safe. Every call of this facade but the operator's throws it for the same reasons.
    /// </exception>
    public Task<MemoryRecord> UpsertAsync(MemoryWrite memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return CallInterruptedException.Guard(Memory(memory.MemoryId).UpsertAsync(UnicodeGuard.Check(memory) with
        {
            WriterId = memory.WriterId ?? _writerId,
            Timestamp = memory.Timestamp ?? HybridLogicalClock.Shared.Next(),
        }), $"the write of memory {memory.MemoryId}");
    }

    /// <summary>The memory's current version, or null when it does not exist (or was deleted).</summary>
    public Task<MemoryRecord?> GetAsync(string memoryId) => CallInterruptedException.Guard(Memory(memoryId).GetAsync(), $"the read of memory {memoryId}");

    /// <summary>Deletes the memory everywhere (a versioned tombstone stays in PostgreSQL's history); null if it did not exist.</summary>
    public Task<MemoryRecord?> DeleteAsync(string memoryId) =>
        CallInterruptedException.Guard(Memory(memoryId).DeleteAsync(), $"the delete of memory {memoryId}");

    /// <summary>Every version of the memory, oldest first.</summary>
    public Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync(string memoryId) =>
        CallInterruptedException.Guard(Memory(memoryId).HistoryAsync(), $"the history of memory {memoryId}");

    /// <summary>Semantic search by text or by vector.</summary>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        UnicodeGuard.Require("text", request.Text);
        return CallInterruptedException.Guard(_cluster.GetGrain<ISearchGrain>(0).SearchAsync(request), "the search");
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
                // Stamped like a single write, so a batch's conflicts compare the writers' times too.
                sendable.Add(UnicodeGuard.Check(memory) with
                {
                    WriterId = memory.WriterId ?? _writerId,
                    Timestamp = memory.Timestamp ?? HybridLogicalClock.Shared.Next(),
                });
            }
            catch (MemoryValidationException exception)
            {
                refused.Add(new BatchSyncError(memory.MemoryId, exception.Message));
            }
        }

        var batch = $"the batch of {sendable.Count} memories";
        if (refused.Count == 0)
        {
            return await CallInterruptedException.Guard(_cluster.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(sendable), batch).ConfigureAwait(false);
        }

        var result = await CallInterruptedException.Guard(_cluster.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(sendable), batch).ConfigureAwait(false);
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
        return CallInterruptedException.Guard(Memory(memoryId).ResolveAsync(choice, content), $"the resolve of memory {memoryId}");
    }

    /// <summary>
    /// The operator's calls: consistency checks and repairs, reindex, sweeps, API keys, and the probes the benchmark uses.
    /// </summary>
    public MemorySyncOperations Operations { get; }

    /// <summary>The grains themselves, for this repository's tests, which stage what no public call may.</summary>
    internal IGrainFactory Grains => _cluster;

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
