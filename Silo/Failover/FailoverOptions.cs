namespace MemorySync.Silo.Failover;

/// <summary>
/// How fast the cluster gives up on a silo that died (section <c>Failover</c>): the values behind Orleans' membership
/// probes and table refresh. The defaults take a killed silo out in about 3 s; see the README's settings table for
/// what each one trades against false death declarations on a busy machine.
/// </summary>
public sealed class FailoverOptions
{
    public const string SectionName = "Failover";

    /// <summary>
    /// Orleans' <c>ProbeTimeout</c>: each silo probes the others every half of it (faster when replies are fast; never
    /// slower than four times it), and a probe that has no reply within that long counts as missed.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Orleans' <c>NumMissedProbesLimit</c>: missed probes in a row before a silo votes another dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Orleans' <c>TableRefreshTimeout</c>: how often a silo reads the membership table itself, for the changes whose
    /// gossip it missed (a death is gossiped at once).
    /// </summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
