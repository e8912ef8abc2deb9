namespace MemorySync.Index;

/// <summary>
/// What a shard knows about a label it indexed: whose it is (for search filters and results), and the memory's sweep
/// range and fingerprint (for consistency digests, so a sweep never has to read the vectors).
/// </summary>
internal sealed record IndexedLabel(string MemoryId, string AgentId, string MemoryType, long Version, int Range, int Token);
