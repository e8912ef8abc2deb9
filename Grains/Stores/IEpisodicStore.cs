namespace MemorySync.Stores;

/// <summary>
/// PostgreSQL, the source of truth, as a memory's grain uses it for that memory: its row (claimed, loaded, committed), its
/// history, and the sync log of its writes and repairs. Conflicts are <see cref="IConflictLog"/>'s; reads across
/// memories, for the index and search, <see cref="IIndexSource"/>'s.
/// </summary>
/// <remarks>
/// Every method fails with <see cref="StoreUnavailableException"/> only: the adapter owns its driver's failures. A commit
/// whose outcome it cannot know answers <see cref="CommitStatus.OutcomeUnknown"/> instead.
/// </remarks>
internal interface IEpisodicStore
{
    /// <summary>The memory's current row (tombstones included), or null when it never existed.</summary>
    Task<StoredMemory?> LoadAsync(string memoryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the memory's row for an activation and claims it: commits of older activations are refused from then on.
    /// <paramref name="epoch"/> is the activation's epoch, or null on its first read (it gets a new one, newer than
    /// every activation's before it). A claim of a memory with no row yet claims nothing; its first commit does.
    /// </summary>
    Task<MemoryClaim> ClaimAsync(string memoryId, long? epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a new version in one transaction: the memory row (only if the stored version is still the previous
    /// one and no newer activation has claimed the memory), its history row, a sync transaction and the outbox rows for
    /// Redis and FAISS. Answers committed (with the memory's FAISS label), version moved (nothing was written), or outcome
    /// unknown (the reply was lost); throws <see cref="StoreUnavailableException"/> when surely nothing was written.
    /// </summary>
    Task<CommitOutcome> CommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The strict form of <see cref="CommitAsync"/>: the same statement in a transaction that stays open until the
    /// caller commits it (after the other stores took the write) or disposes it (rolled back).
    /// </summary>
    Task<IOpenCommit> BeginCommitAsync(MemoryCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Logs a strict write that was rolled back: its transaction row says so, with the error and the rollback data.</summary>
    Task RecordRolledBackAsync(MemoryCommit commit, string error, string rollbackJson, double durationMilliseconds, CancellationToken cancellationToken = default);

    /// <summary>Records which stores caught up: their outbox rows done, the store versions, the transaction's outcome.</summary>
    Task CompleteAsync(SyncCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Logs a consistency repair as a sync transaction (operation 'repair'): the stores it fixed and any error.</summary>
    Task RecordRepairAsync(string memoryId, long version, IReadOnlyList<string> repairedStores, string? error, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MemoryHistoryEntry>> HistoryAsync(string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new vector for the memory's current version (no new version); false when the version moved on.</summary>
    Task<bool> ReplaceEmbeddingAsync(string memoryId, long version, float[] embedding, string embeddingModel, CancellationToken cancellationToken = default);
}

/// <summary>A memory's row as PostgreSQL holds it.</summary>
internal sealed record StoredMemory(MemoryRecord Record, long Label, float[]? Embedding, long Hlc);

/// <summary>
/// A memory's row as an activation claimed it, with the activation's epoch; <see cref="Superseded"/> when a newer
/// activation holds the memory, so this one may no longer write it.
/// </summary>
internal sealed record MemoryClaim(StoredMemory? Memory, long Epoch, bool Superseded);

/// <summary>One new version to commit.</summary>
internal sealed record MemoryCommit(
    MemoryRecord Record,
    float[]? Embedding,
    long PreviousVersion,
    Guid TransactionId,
    string Operation,
    string WriterId,
    long Hlc,
    long ActivationEpoch,
    TimeSpan WriterGrace,
    SyncMode Mode = SyncMode.Eventual);

/// <summary>What happened in the secondary stores after a commit (or a catch-up, which has no transaction of its own).</summary>
internal sealed record SyncCompletion(
    string MemoryId,
    long Version,
    Guid? TransactionId,
    StoreVersions StoreVersions,
    IReadOnlyList<string> SyncedStores,
    double DurationMilliseconds,
    string? Error);

/// <summary>A committed-but-not-yet statement: <see cref="Label"/> is null when the version guard refused it.</summary>
internal interface IOpenCommit : IAsyncDisposable
{
    long? Label { get; }

    /// <summary>Commits the transaction: committed (with <see cref="Label"/>), or outcome unknown when COMMIT's reply was lost.</summary>
    Task<CommitOutcome> CommitAsync(CancellationToken cancellationToken = default);
}

internal enum CommitStatus
{
    /// <summary>PostgreSQL holds the version.</summary>
    Committed,

    /// <summary>The stored version was no longer the previous one, or a newer activation claimed the memory: nothing was written.</summary>
    VersionMoved,

    /// <summary>The statement was sent and its reply lost: PostgreSQL may or may not hold the version.</summary>
    OutcomeUnknown,
}

/// <summary>What a commit answered; <see cref="Label"/> is the memory's FAISS label when committed.</summary>
internal readonly record struct CommitOutcome(CommitStatus Status, long Label, string? Reason)
{
    public static CommitOutcome Committed(long label) => new(CommitStatus.Committed, label, null);

    public static CommitOutcome VersionMoved() => new(CommitStatus.VersionMoved, 0, null);

    public static CommitOutcome Unknown(string reason) => new(CommitStatus.OutcomeUnknown, 0, reason);
}
