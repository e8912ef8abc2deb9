namespace MemorySync.Silo.Failover;

/// <summary>
/// How fast the cluster gives up on a silo that died (section <c>Failover</c>): the values behind Orleans' membership
/// probes and table refresh. The defaults take a killed silo out in 1.2-1.8 s (2.4-3.6 s in its first seconds after it joined); see the README's settings table for
/// what each one trades against false death declarations on a busy machine.
/// </summary>
public sealed class FailoverOptions
{
    public const string SectionName = "Failover";

    /// <summary>
    /// Orleans' <c>ProbeTimeout</c>: a silo probes one that just joined every this long, and, once it has four replies'
    /// times, every half of it while replies are fast (at most every 8 s when they are slow); a probe with no reply
    /// within that period counts as missed.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1.2);

    /// <summary>Orleans' <c>NumMissedProbesLimit</c>: missed probes in a row before a silo votes another dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Orleans' <c>TableRefreshTimeout</c>: how often a silo reads the membership table itself, for the changes whose
    /// gossip it missed (a death is gossiped at once).
    /// </summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
