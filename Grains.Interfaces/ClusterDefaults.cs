namespace MemorySync;

/// <summary>The identity of the local cluster that ./run.sh starts, shared by the silo and the client defaults.</summary>
public static class ClusterDefaults
{
    /// <summary>The Orleans cluster id (silos with the same id form one cluster).</summary>
    public const string ClusterId = "memsync-local";

    /// <summary>The Orleans service id (keys grain state and reminders; stable across deployments).</summary>
    public const string ServiceId = "memsync";

    /// <summary>The Redis of the local stack (scripts/stack.sh, instance "dev").</summary>
    public const string RedisConnectionString = "127.0.0.1:6390";

    /// <summary>Prefix of the environment variables that configure silo and client.</summary>
    public const string EnvironmentPrefix = "MEMSYNC_";
}
