namespace MemorySync.Operations;

/// <summary>
/// <c>memsync outbox retry</c>: every dead letter of a store back to pending, in slices (so no single call holds a
/// long transaction or outlives its timeout), for the client facade and the silo's /v1/admin routes alike.
/// </summary>
public static class OutboxRetries
{
    /// <summary>Dead rows re-queued per call to the outbox grain.</summary>
    public const int Slice = 1000;

    /// <summary>The stores an operator may name: <c>redis</c>, <c>faiss</c>, or <c>all</c> of them.</summary>
    public static readonly IReadOnlyList<string> Stores = ["redis", "faiss", "all"];

    /// <summary>
    /// Re-queues the store's dead rows, slice by slice, until none that died before the call are left; each row at most
    /// once, so rows that die again meanwhile (the store still down) wait for the next retry.
    /// </summary>
    /// <exception cref="MemoryValidationException">The store is not one of <see cref="Stores"/>; nothing was changed.</exception>
    public static async Task<OutboxRetryResult> RunAsync(IGrainFactory grains, string store, CancellationToken cancellationToken = default)
    {
        var diedBefore = DateTimeOffset.UtcNow;
        var outbox = grains.GetGrain<IOutboxGrain>(0);
        long requeued = 0, completed = 0;
        OutboxRetryResult slice;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            slice = await outbox.RetryDeadAsync(store, Slice, diedBefore).ConfigureAwait(false);
            requeued += slice.Requeued;
            completed += slice.Completed;
        }
        while (slice.Requeued + slice.Completed >= Slice);

        return new OutboxRetryResult(store, requeued, completed);
    }
}
