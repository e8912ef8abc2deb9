namespace MemorySync.Testing;

/// <summary>What each store holds of one memory, read from the stores themselves: equal before and after a refused call.</summary>
internal sealed record StoreFootprint(string Postgres, long HistoryRows, string Redis, string Faiss)
{
    public static async Task<StoreFootprint> ReadAsync(StoreReader stores, string memoryId)
    {
        var row = await stores.PostgresAsync(memoryId);
        var redis = await stores.RedisAsync(memoryId);
        var faiss = row is null ? null : await stores.FaissAsync(memoryId, row.Label);
        return new StoreFootprint(
            row is null ? "none" : $"v{row.Version} {row.Checksum} deleted={row.Deleted}",
            await stores.CountRowsAsync("memory_versions", memoryId),
            redis is null ? "none" : $"v{redis.GetValueOrDefault("version")} {redis.GetValueOrDefault("checksum")}",
            faiss is null ? "none" : $"{faiss.Occurrences} at v{faiss.Version}");
    }
}
