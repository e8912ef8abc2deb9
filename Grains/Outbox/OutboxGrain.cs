using MemorySync.Operations;
using MemorySync.Stores;
using Orleans.Concurrency;

namespace MemorySync.Outbox;

/// <summary>The operator's outbox calls, answered on whichever silo the caller reached.</summary>
[StatelessWorker]
internal sealed class OutboxGrain(IOutboxStore outbox) : Grain, IOutboxGrain
{
    /// <summary>The most dead rows one call re-queues: one short transaction, well inside a call's timeout.</summary>
    public const int MaxLimit = 10_000;

    public Task<OutboxStatus> GetStatusAsync() => outbox.StatusAsync(CancellationToken.None);

    public Task<OutboxRetryResult> RetryDeadAsync(string store, int limit, DateTimeOffset diedBefore)
    {
        if (store is null || !OutboxRetries.Stores.Contains(store))
        {
            throw new MemoryValidationException("store", $"must be one of {string.Join(", ", OutboxRetries.Stores)}, not '{store}'");
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw new MemoryValidationException("limit", $"must be between 1 and {MaxLimit}, not {limit}");
        }

        IReadOnlyList<string> stores = store == "all" ? [StoreNames.Redis, StoreNames.Faiss] : [store];
        return outbox.RequeueDeadAsync(store, stores, diedBefore, limit, CancellationToken.None);
    }
}
