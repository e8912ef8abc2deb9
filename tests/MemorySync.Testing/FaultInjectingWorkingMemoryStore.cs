using MemorySync.Stores;
using StackExchange.Redis;

namespace MemorySync.Testing;

/// <summary>
/// The real Redis adapter, except that a write whose content carries <see cref="Marker"/> fails as if Redis had
/// dropped the connection: a fault injected at the adapter, for one chosen write, without touching other tests.
/// </summary>
internal sealed class FaultInjectingWorkingMemoryStore(IWorkingMemoryStore inner) : IWorkingMemoryStore
{
    public const string Marker = "[inject-redis-fault]";

    public Task WriteAsync(MemoryRecord record) =>
        record.Content.Contains(Marker, StringComparison.Ordinal)
            ? throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "injected fault")
            : inner.WriteAsync(record);

    public Task ForceWriteAsync(MemoryRecord record) => inner.ForceWriteAsync(record);

    public Task PurgeAsync(string memoryId) => inner.PurgeAsync(memoryId);

    public Task DeleteAsync(string memoryId, long tombstoneVersion) => inner.DeleteAsync(memoryId, tombstoneVersion);

    public Task RestoreAsync(string memoryId, long failedVersion, MemoryRecord? previous) => inner.RestoreAsync(memoryId, failedVersion, previous);

    public Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyList<string> memoryIds) => inner.ReadContentsAsync(memoryIds);
}
