using MemorySync.Stores;
using Microsoft.Extensions.Logging;

namespace MemorySync.Memories;

/// <summary>
/// Records in PostgreSQL, in one statement, which stores hold a committed version: their outbox rows done, the memory's
/// store versions, the sync transaction closed. The version itself is committed by then, so a failure here costs only
/// this record, and is logged instead of failing the write.
/// </summary>
internal sealed class CompletionRecorder(IEpisodicStore episodic, ILogger logger)
{
    public async Task RecordAsync(SyncCompletion completion)
    {
        try
        {
            await episodic.CompleteAsync(completion);
        }
        catch (StoreUnavailableException exception)
        {
            // The outbox rows of the stores stay pending, so the outbox drainer applies them again (harmlessly: the writes
            // are version-guarded) and completes them.
            MemoryLog.CompletionFailed(logger, exception, completion.MemoryId, completion.Version);
        }
    }
}
