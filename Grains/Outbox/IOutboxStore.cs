namespace MemorySync.Outbox;

/// <summary>The sync_queue table, as the drainer sees it.</summary>
internal interface IOutboxStore
{
    /// <summary>Claims up to <paramref name="limit"/> due rows for <paramref name="lease"/>, so other silos skip them meanwhile.</summary>
    Task<IReadOnlyList<OutboxRow>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: retried after <paramref name="delay"/>, or dead-lettered when <paramref name="dead"/>.</summary>
    Task RecordFailureAsync(long queueId, string error, TimeSpan delay, bool dead, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up to <paramref name="limit"/> dead rows of <paramref name="stores"/> that died before
    /// <paramref name="diedBefore"/> another life: back to pending with their attempts reset, due now; a row whose
    /// store already holds its version, or that a newer row of the same memory supersedes, is closed instead.
    /// </summary>
    Task<OutboxRetryResult> RequeueDeadAsync(string store, IReadOnlyList<string> stores, DateTimeOffset diedBefore, int limit,
        CancellationToken cancellationToken);

    /// <summary>Pending rows, dead letters, and the age of the oldest pending row.</summary>
    Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> rows applied more than <paramref name="retain"/> ago; returns how many.</summary>
    Task<int> PurgeCompletedAsync(TimeSpan retain, int limit, CancellationToken cancellationToken);
}
