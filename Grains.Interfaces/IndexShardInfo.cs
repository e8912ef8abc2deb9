namespace MemorySync;

/// <summary>How an index shard stands: its size, where its activation loaded it from, and any reindex.</summary>
/// <param name="LoadedFrom">"snapshot" (restored, then <paramref name="Replayed"/> later changes applied) or "rebuild" (from PostgreSQL).</param>
/// <param name="ChangesSinceSnapshot">Changes the next snapshot will include.</param>
/// <param name="Factory">The FAISS factory of the index serving searches: <paramref name="ConfiguredFactory"/>, or Flat
/// while the shard holds too few vectors to train an index of a type that needs training.</param>
/// <param name="ConfiguredFactory">The index type the silo is configured with (Faiss:Factory).</param>
/// <param name="SearchParameters">The search-time parameters in effect (Faiss:SearchParameters), once the configured type serves.</param>
/// <param name="Training">True while the shard trains an index of the configured type (it serves from Flat meanwhile).</param>
/// <param name="Epoch">This activation's claim on the shard (higher for each activation); a snapshot of a lower one is refused.</param>
/// <param name="OutboxPosition">The highest FAISS outbox queue id whose change the shard is known to hold; the next snapshot carries it.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.IndexShardInfo")]
public sealed record IndexShardInfo(
    [property: Id(0)] int Shard,
    [property: Id(1)] long Vectors,
    [property: Id(2)] string LoadedFrom,
    [property: Id(3)] DateTimeOffset? SnapshotTakenAt,
    [property: Id(4)] int Replayed,
    [property: Id(5)] long ChangesSinceSnapshot,
    [property: Id(6)] ReindexProgress? Reindex,
    [property: Id(7)] string Factory,
    [property: Id(8)] string ConfiguredFactory,
    [property: Id(9)] bool Training,
    [property: Id(10)] string? SearchParameters = null,
    [property: Id(11)] long Epoch = 0,
    [property: Id(12)] long OutboxPosition = 0);

/// <summary>A shard's reindex: rows of PostgreSQL scanned, vectors in the shadow index, memories embedded again.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.ReindexProgress")]
public sealed record ReindexProgress(
    [property: Id(0)] int Shard,
    [property: Id(1)] bool Running,
    [property: Id(2)] long Scanned,
    [property: Id(3)] long Indexed,
    [property: Id(4)] long Reembedded,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] string? Error);
