namespace MemorySync;

/// <summary>The operator's view of the outbox (a stateless worker): what Redis and FAISS still owe, and dead letters.</summary>
public interface IOutboxGrain : IGrainWithIntegerKey
{
    /// <summary>Pending rows, dead letters, and the age of the oldest pending row.</summary>
    Task<OutboxStatus> GetStatusAsync();

    /// <summary>
    /// Puts up to <paramref name="limit"/> dead rows of <paramref name="store"/> (<c>redis</c>, <c>faiss</c> or
    /// <c>all</c>) that died before <paramref name="diedBefore"/> back to pending, with their attempts reset, so the
    /// drainer retries them with the normal backoff; rows whose version the store already holds, or that a newer row
    /// of the same memory supersedes, are closed instead. Fewer than <paramref name="limit"/> in all means none are left.
    /// </summary>
    /// <exception cref="MemoryValidationException">The store is not one of redis, faiss or all, or the limit is out of range.</exception>
    Task<OutboxRetryResult> RetryDeadAsync(string store, int limit, DateTimeOffset diedBefore);
}
