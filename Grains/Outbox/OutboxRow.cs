namespace MemorySync.Outbox;

/// <summary>One claimed outbox row: a store that still has to take a memory's version.</summary>
internal sealed record OutboxRow(long QueueId, string MemoryId, long Version, string Store, int Attempts);
