namespace MemorySync.Index;

/// <summary>What a shard knows about a label it indexed: whose it is, for search filters and results.</summary>
internal sealed record IndexedLabel(string MemoryId, string AgentId, string MemoryType, long Version);
