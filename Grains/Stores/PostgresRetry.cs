namespace MemorySync.Stores;

/// <summary>Whether a PostgreSQL command may run a second time after its connection died with the outcome unknown.</summary>
internal enum PostgresRetry
{
    /// <summary>Running it twice does what running it once does (a read; a write guarded by version or keyed by id).</summary>
    Repeatable,

    /// <summary>Running it twice would repeat its effect: run again only when the first try surely never reached the server.</summary>
    OnlyIfNotSent,
}
