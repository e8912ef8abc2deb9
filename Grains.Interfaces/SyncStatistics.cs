namespace MemorySync;

/// <summary>The seed's get_sync_statistics(): memories, the outbox, transactions and conflicts, from PostgreSQL.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.SyncStatistics")]
public sealed record SyncStatistics(
    [property: Id(0)] long TotalMemories,
    [property: Id(1)] long LiveMemories,
    [property: Id(2)] long OutOfSyncMemories,
    [property: Id(3)] long PendingSyncs,
    [property: Id(4)] long DeadSyncs,
    [property: Id(5)] DateTimeOffset? OldestPendingAt,
    [property: Id(6)] long CommittedTransactions,
    [property: Id(7)] long FailedTransactions,
    [property: Id(8)] long RolledBackTransactions,
    [property: Id(9)] double? AverageSyncMilliseconds,
    [property: Id(10)] long OpenConflicts,
    [property: Id(11)] long ResolvedConflicts);
