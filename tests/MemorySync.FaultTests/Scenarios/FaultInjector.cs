using MemorySync.FaultTests.Cluster;

namespace MemorySync.FaultTests.Scenarios;

/// <summary>Starts and ends each <see cref="FaultKind"/> on the cluster.</summary>
internal static class FaultInjector
{
    public static async Task InjectAsync(FaultKind fault, FaultCluster cluster)
    {
        switch (fault)
        {
            case FaultKind.RedisRestarted:
                await cluster.Redis.StopAsync();
                break;
            case FaultKind.RedisFlushed:
                await cluster.Redis.StopAndWipeAsync();
                break;
            case FaultKind.RedisPaused:
                await cluster.Redis.PauseAsync();
                break;
            case FaultKind.PostgresRestarted:
                await cluster.Postgres.StopAsync();
                break;
            case FaultKind.SiloKilled:
                await cluster.KillSiloAsync(FaultCluster.SiloCount - 1);
                break;
            case FaultKind.SnapshotDeleted:
                await cluster.KillAllSilosAfterSnapshotAsync();
                await cluster.DeleteIndexSnapshotsAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    public static async Task EndAsync(FaultKind fault, FaultCluster cluster)
    {
        switch (fault)
        {
            case FaultKind.RedisRestarted or FaultKind.RedisFlushed:
                await cluster.Redis.StartAsync();
                break;
            case FaultKind.RedisPaused:
                await cluster.Redis.ResumeAsync();
                break;
            case FaultKind.PostgresRestarted:
                await cluster.Postgres.StartAsync();
                break;
            case FaultKind.SiloKilled:
                await cluster.StartSiloAsync(FaultCluster.SiloCount - 1);
                break;
            case FaultKind.SnapshotDeleted:
                await cluster.StartAllSilosAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    /// <summary>Whether the fault took every silo down, so that clients must connect again.</summary>
    public static bool StopsEverySilo(FaultKind fault) => fault == FaultKind.SnapshotDeleted;
}
