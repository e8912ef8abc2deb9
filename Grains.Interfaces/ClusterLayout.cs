namespace MemorySync;

/// <summary>How the cluster divides its work: consistency partitions (ConsistencyGrain keys) and index shards (IndexGrain keys).</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.ClusterLayout")]
public sealed record ClusterLayout(
    [property: Id(0)] int ConsistencyPartitions,
    [property: Id(1)] int IndexShards);
