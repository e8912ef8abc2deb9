using MemorySync.Configuration;
using MemorySync.FaultTests.Cluster;

namespace MemorySync.FaultTests.Scenarios;

/// <summary>How each <see cref="FaultKind"/> starts and ends on the cluster, side by side.</summary>
internal static class FaultInjector
{
    private static readonly Dictionary<FaultKind, (Func<FaultCluster, Task> Inject, Func<FaultCluster, Task> End)> Faults = new()
    {
        [FaultKind.RedisRestarted] = (cluster => cluster.Redis.StopAsync(), cluster => cluster.Redis.StartAsync()),
        [FaultKind.RedisFlushed] = (cluster => cluster.Redis.StopAndWipeAsync(), cluster => cluster.Redis.StartAsync()),
        [FaultKind.RedisPaused] = (cluster => cluster.Redis.PauseAsync(), cluster => cluster.Redis.ResumeAsync()),
        [FaultKind.PostgresRestarted] = (cluster => cluster.Postgres.StopAsync(), cluster => cluster.Postgres.StartAsync()),
        [FaultKind.PostgresPaused] = (cluster => cluster.Postgres.PauseAsync(), cluster => cluster.Postgres.ResumeAsync()),
        [FaultKind.SiloKilled] = (cluster => cluster.KillSiloAsync(FaultCluster.SiloCount - 1), cluster => cluster.StartSiloAsync(FaultCluster.SiloCount - 1)),
        [FaultKind.SiloCrashedAfterCommit] = CrashAt(FailpointNames.AfterCommit),
        [FaultKind.SiloCrashedAfterRedis] = CrashAt(FailpointNames.AfterRedis),
        [FaultKind.SiloCrashedBeforeCompletion] = CrashAt(FailpointNames.BeforeCompletion),
        [FaultKind.SiloCrashedInStrictBeforeCommit] = CrashAt(FailpointNames.StrictBeforeCommit),
        [FaultKind.SiloCrashedInStrictAfterCommit] = CrashAt(FailpointNames.StrictAfterCommit),
        [FaultKind.SiloPausedPastRetention] = (cluster => cluster.PauseSiloAsync(FaultCluster.SiloCount - 1), cluster => cluster.ResumeSiloPastRetentionAsync(FaultCluster.SiloCount - 1)),
        [FaultKind.SiloPaused] = (cluster => cluster.PauseSiloAsync(FaultCluster.SiloCount - 1), cluster => cluster.ResumeSiloAsync(FaultCluster.SiloCount - 1)),
        [FaultKind.SiloClockAhead] = (cluster => cluster.StepGuestClockAsync("+10m"), cluster => cluster.RestoreGuestClockAsync()),
        [FaultKind.SiloClockBehind] = (cluster => cluster.StepGuestClockAsync("-10m"), cluster => cluster.RestoreGuestClockAsync()),
        [FaultKind.SnapshotDeleted] = (KillSilosAndDeleteSnapshotsAsync, cluster => cluster.StartAllSilosAsync()),
        [FaultKind.SilosPartitioned] = (cluster => cluster.PartitionSilosAsync(bothWays: true), cluster => cluster.HealPartitionAsync()),
        [FaultKind.SilosPartitionedOneWay] = (cluster => cluster.PartitionSilosAsync(bothWays: false), cluster => cluster.HealPartitionAsync()),
        [FaultKind.ClientCutFromGateway] = (cluster => cluster.CutClientsFromSiloAsync(FaultCluster.SiloCount - 1), cluster => cluster.HealPartitionAsync()),
    };

    // The last silo, restarted with the failpoint armed, dies at the point's tenth arrival (a few writes into its new life,
    // under the running load); it comes back without it.
    private static (Func<FaultCluster, Task> Inject, Func<FaultCluster, Task> End) CrashAt(string point) =>
        (cluster => cluster.CrashSiloAtFailpointAsync(FaultCluster.SiloCount - 1, point, atHit: 10),
            cluster => cluster.RestartCrashedSiloAsync(FaultCluster.SiloCount - 1));

    public static Task InjectAsync(FaultKind fault, FaultCluster cluster) => Faults[fault].Inject(cluster);

    public static Task EndAsync(FaultKind fault, FaultCluster cluster) => Faults[fault].End(cluster);

    /// <summary>
    /// Whether the cluster is to recover from the fault before it ends: a killed (or frozen) silo comes back only once
    /// every memory is writable without it, so that its return does not cut short (and hide) how long the failover took;
    /// a partition between the silos is healed only once Orleans has declared one of them dead and moved its memories.
    /// A client cut off from a gateway is not: the Orleans client keeps sending the memories it assigned to that
    /// gateway down the open connection, which no packet comes back on, until the heal (or TCP gives up, minutes later).
    /// </summary>
    public static bool IsSurvivable(FaultKind fault) =>
        fault is FaultKind.SiloKilled or FaultKind.SiloCrashedAfterCommit or FaultKind.SiloCrashedAfterRedis or FaultKind.SiloCrashedBeforeCompletion
            or FaultKind.SiloCrashedInStrictBeforeCommit or FaultKind.SiloCrashedInStrictAfterCommit or FaultKind.SiloPaused or FaultKind.SiloPausedPastRetention or FaultKind.SilosPartitioned or FaultKind.SilosPartitionedOneWay;

    /// <summary>Whether the fault cuts the network, so that it needs a cluster on a <see cref="NetworkFabric"/>.</summary>
    public static bool NeedsNetworkFabric(FaultKind fault) =>
        fault is FaultKind.SilosPartitioned or FaultKind.SilosPartitionedOneWay or FaultKind.ClientCutFromGateway;

    /// <summary>Whether the fault steps a guest silo's clock, so that it needs one (<see cref="FaultCluster.StartGuestSiloAsync"/>).</summary>
    public static bool NeedsGuestSilo(FaultKind fault) => fault is FaultKind.SiloClockAhead or FaultKind.SiloClockBehind;

    /// <summary>Whether the fault took every silo down, so that clients must connect again.</summary>
    public static bool StopsEverySilo(FaultKind fault) => fault == FaultKind.SnapshotDeleted;

    private static async Task KillSilosAndDeleteSnapshotsAsync(FaultCluster cluster)
    {
        await cluster.KillAllSilosAfterSnapshotAsync();
        await cluster.DeleteIndexSnapshotsAsync();
    }
}
