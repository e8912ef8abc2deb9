namespace MemorySync.Model;

/// <summary>The bounds of one search, checked where a search arrives and again by each index shard.</summary>
internal static class SearchLimits
{
    /// <summary>The most hits one search may ask for (k).</summary>
    public const int MaxK = 1000;
}
