namespace MemorySync.Stores;

/// <summary>The stores' names as they appear in the outbox, sync log, health reports and CLI output.</summary>
internal static class StoreNames
{
    public const string Postgres = "postgres";
    public const string Redis = "redis";
    public const string Faiss = "faiss";
}
