namespace MemorySync.Security;

/// <summary>
/// What the holder of a certificate may do, written in its Subject's organizational unit (<c>OU=silo</c>,
/// <c>OU=operator</c>, <c>OU=agent</c>): scripts/certs.sh issues one of each; a user with their own PKI sets the same OU.
/// </summary>
public enum ClusterRole
{
    /// <summary>A silo of the cluster: the silo port admits only this role, and its holder is trusted with everything.</summary>
    Silo,

    /// <summary>The CLI and operators' tools: the agent calls plus checks, repairs, reindex, sweeps and API keys.</summary>
    Operator,

    /// <summary>An agent host: memories, search, batches, the conflicts list and health.</summary>
    Agent,
}
