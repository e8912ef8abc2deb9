namespace MemorySync;

/// <summary>One silo of the cluster: its address, membership status, and how many of each MemorySync grain it hosts.</summary>
/// <param name="Hosts">Active grains by kind (memory, index_shard, consistency_partition, ...).</param>
/// <param name="Memory">The process's memory; null when the silo did not answer in time.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.SiloInfo")]
public sealed record SiloInfo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyDictionary<string, int> Hosts,
    [property: Id(3)] ProcessMemory? Memory = null);
