namespace MemorySync.FaultTests.Cluster;

/// <summary>Every test class of the suite shares one cluster (starting two silos takes most of a minute), one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultCluster>
{
    public const string Name = "fault cluster";
}
