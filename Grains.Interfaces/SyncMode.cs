namespace MemorySync;

/// <summary>How a write treats a secondary store that fails.</summary>
public enum SyncMode
{
    /// <summary>PostgreSQL commits (the acknowledgement); a failed Redis or FAISS write stays in the outbox and is retried.</summary>
    Eventual = 0,

    /// <summary>All or nothing: if any store fails, every store already touched is restored and the write fails.</summary>
    Strict = 1,
}
