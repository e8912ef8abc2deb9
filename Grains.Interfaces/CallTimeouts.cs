namespace MemorySync;

/// <summary>
/// How long a caller waits for each kind of call before it fails with a <see cref="TimeoutException"/> (Orleans'
/// <c>[ResponseTimeout]</c>; everything else waits Orleans' default of 30 s, long operator calls their own). A call whose silo died on it gets no
/// reply at all, so these bound how long such a caller is kept waiting: short for one memory, longer for calls that
/// do more. A timed-out write may still have been stored; sending it again is safe (the same content is a no-op).
/// </summary>
public static class CallTimeouts
{
    /// <summary>
    /// One memory's write: a PostgreSQL commit, then Redis and FAISS, each of which may wait its own driver's timeout
    /// (Redis' 5 s) before the write is acknowledged without it.
    /// </summary>
    public const string MemoryWrite = "00:00:10";

    /// <summary>One memory's read, answered from the grain's copy or one PostgreSQL query.</summary>
    public const string MemoryRead = "00:00:05";

    /// <summary>A search: an embedding, every shard's top k, and the hits' content.</summary>
    public const string Search = "00:00:10";

    /// <summary>
    /// A batch sync of up to Memory:MaxBatchItems memories, each through its own grain: a full batch of 1000 takes
    /// about 2-3 s at the benchmark's 373-643 writes/s on two cores, and a batch whose silo died waits this long for a
    /// reply that never comes.
    /// </summary>
    public const string Batch = "00:00:15";
}
