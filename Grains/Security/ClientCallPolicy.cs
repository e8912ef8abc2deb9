using MemorySync.Keys;

namespace MemorySync.Security;

/// <summary>
/// Which grain methods a client outside the cluster may call, by the role of its certificate. The one place that
/// says so: a method missing here is internal to the cluster (repairs, adopted embeddings, index shard writes and
/// scans, replication, process probes) and refused to every external client, whatever its role. Calls from inside
/// the cluster (grains, system targets, the silo's own hosted client behind the HTTP API) are not checked here.
/// </summary>
internal static class ClientCallPolicy
{
    private static readonly ClusterRole[] Agents = [ClusterRole.Agent, ClusterRole.Operator];
    private static readonly ClusterRole[] Operators = [ClusterRole.Operator];
    private const string ClusterManifestSystemTarget = "Orleans.Runtime.IClusterManifestSystemTarget";

    private static readonly Dictionary<(string Interface, string Method), ClusterRole[]> Allowed = new()
    {
        // What every stock Orleans client asks its gateway while connecting: the cluster's grain types.
        // (Orleans' interface is internal, hence its name as text.)
        [(ClusterManifestSystemTarget, "GetClusterManifest")] = Agents,
        [(ClusterManifestSystemTarget, "GetClusterManifestUpdate")] = Agents,

        // The agent-facing calls (MemorySyncClient).
        [(Name<IMemoryGrain>(), nameof(IMemoryGrain.UpsertAsync))] = Agents,
        [(Name<IMemoryGrain>(), nameof(IMemoryGrain.GetAsync))] = Agents,
        [(Name<IMemoryGrain>(), nameof(IMemoryGrain.DeleteAsync))] = Agents,
        [(Name<IMemoryGrain>(), nameof(IMemoryGrain.HistoryAsync))] = Agents,
        [(Name<ISearchGrain>(), nameof(ISearchGrain.SearchAsync))] = Agents,
        [(Name<IBatchSyncGrain>(), nameof(IBatchSyncGrain.SyncBatchAsync))] = Agents,
        [(Name<IConflictsGrain>(), nameof(IConflictsGrain.ListOpenAsync))] = Agents,
        [(Name<IHealthGrain>(), nameof(IHealthGrain.CheckAsync))] = Agents,

        // The operator's calls (MemorySyncOperations, the CLI and memsync bench).
        [(Name<IMemoryGrain>(), nameof(IMemoryGrain.ResolveAsync))] = Operators,
        [(Name<IStatsGrain>(), nameof(IStatsGrain.GetAsync))] = Operators,
        [(Name<IStatsGrain>(), nameof(IStatsGrain.GetLayoutAsync))] = Operators,
        [(Name<IStatsGrain>(), nameof(IStatsGrain.GetSilosAsync))] = Operators,
        [(Name<IStatsGrain>(), nameof(IStatsGrain.GetSweepsAsync))] = Operators,
        // The benchmark's memory probe; the collection it may ask for runs inside the cluster, through ISiloProcessGrain.
        [(Name<IStatsGrain>(), nameof(IStatsGrain.GetSiloMemoryAsync))] = Operators,
        [(Name<IConsistencyGrain>(), nameof(IConsistencyGrain.CheckAsync))] = Operators,
        [(Name<IConsistencyGrain>(), nameof(IConsistencyGrain.RepairAsync))] = Operators,
        [(Name<IConsistencyGrain>(), nameof(IConsistencyGrain.SweepNowAsync))] = Operators,
        [(Name<IConsistencyGrain>(), nameof(IConsistencyGrain.GetStatusAsync))] = Operators,
        // memsync bench pauses the reminder sweeps while it measures.
        [(Name<IConsistencyGrain>(), nameof(IConsistencyGrain.PauseRemindersAsync))] = Operators,
        [(Name<IOutboxGrain>(), nameof(IOutboxGrain.GetStatusAsync))] = Operators,
        [(Name<IOutboxGrain>(), nameof(IOutboxGrain.RetryDeadAsync))] = Operators,
        [(Name<IIndexGrain>(), nameof(IIndexGrain.GetInfoAsync))] = Operators,
        [(Name<IIndexGrain>(), nameof(IIndexGrain.StartReindexAsync))] = Operators,
        [(Name<IIndexGrain>(), nameof(IIndexGrain.GetReindexProgressAsync))] = Operators,
        [(Name<IApiKeysGrain>(), nameof(IApiKeysGrain.CreateAsync))] = Operators,
        [(Name<IApiKeysGrain>(), nameof(IApiKeysGrain.ListAsync))] = Operators,
        [(Name<IApiKeysGrain>(), nameof(IApiKeysGrain.RevokeAsync))] = Operators,
        // memsync bench returns idle activations' memory before it measures a silo's footprint.
        [(Name<IManagementGrain>(), nameof(IManagementGrain.ForceActivationCollection))] = Operators,
    };

    private static string Name<TInterface>() => typeof(TInterface).FullName!;

    /// <summary>True when a client whose certificate carries <paramref name="role"/> may call the method.</summary>
    public static bool Allows(ClusterRole role, Type grainInterface, string method) =>
        role == ClusterRole.Silo || (Allowed.TryGetValue((grainInterface.FullName ?? string.Empty, method), out var roles) && roles.Contains(role));

    /// <summary>The roles that may call the method from outside the cluster (empty: internal).</summary>
    public static IReadOnlyList<ClusterRole> RolesFor(Type grainInterface, string method) =>
        Allowed.TryGetValue((grainInterface.FullName ?? string.Empty, method), out var roles) ? roles : [];
}
