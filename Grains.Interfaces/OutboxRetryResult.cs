namespace MemorySync;

/// <summary>What a retry of dead letters did.</summary>
/// <param name="Store">The store whose dead letters were retried: <c>redis</c>, <c>faiss</c> or <c>all</c>.</param>
/// <param name="Requeued">Dead rows put back to pending, with their attempts reset, for the outbox drainer to retry.</param>
/// <param name="Completed">
/// Dead rows closed without a retry because the store already holds their version or a newer one (or a newer row of
/// the same memory will bring it there): applying them would change nothing.
/// </param>
[GenerateSerializer, Immutable, Alias("MemorySync.OutboxRetryResult")]
public sealed record OutboxRetryResult(
    [property: Id(0)] string Store,
    [property: Id(1)] long Requeued,
    [property: Id(2)] long Completed);
