namespace MemorySync.Silo;

/// <summary>The cluster this silo belongs to (section <c>Cluster</c>); clients use the same values.</summary>
public sealed class ClusterIdentityOptions
{
    public const string SectionName = "Cluster";

    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;
}
