using System.Diagnostics;
using System.Text.Json;
using MemorySync.Configuration;
using MemorySync.Stores;

namespace MemorySync.Memories;

/// <summary>
/// Strict mode: all or nothing. The rollback data (the previous record of every store) is in hand before any update;
/// PostgreSQL's transaction stays open while FAISS and then Redis take the write, and commits only if both did.
/// If either fails, the stores already touched get their previous record back, the transaction rolls back, its row
/// says rolled_back, and the caller gets <see cref="StrictSyncException"/>.
/// </summary>
internal sealed partial class MemoryGrain
{
    private async Task<MemoryRecord> SyncStrictAsync(MemoryRecord record, float[]? embedding, string writerId, string operation, long hlc)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = _stored;
        var commit = new MemoryCommit(record, embedding, previous?.Record.Version ?? 0, Guid.NewGuid(), operation, writerId,
            hlc, _epoch ?? 0, outboxOptions.Value.WriterGrace, SyncMode.Strict);
        var touched = new List<string>(2);
        long label;
        IOpenCommit open;
        try
        {
            open = await episodic.BeginCommitAsync(commit);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            throw new StoreUnavailableException($"PostgreSQL did not take the strict write of memory {MemoryId} ({exception.Message}); nothing was written");
        }

        await using (open)
        {
            if (open.Label is null)
            {
                _reloadBeforeNextWrite = true;
                throw new MemoryConflictException(MemoryId, commit.PreviousVersion, 0);
            }

            label = open.Label.Value;
            try
            {
                touched.Add(StoreNames.Faiss);
                await Secondaries.WriteFaissAsync(record, label, embedding);
                touched.Add(StoreNames.Redis);
                await Secondaries.WriteRedisAsync(record);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                var error = $"{touched[^1]}: {exception.Message}";
                await Secondaries.RestoreAsync(touched, record, label, previous);
                // Leaving the using block rolls PostgreSQL back; the rolled-back row is written after it.
                await open.DisposeAsync();
                var rollback = JsonSerializer.Serialize(new { previous = previous?.Record, restored = touched }, MemorySyncJson.Options);
                await episodic.RecordRolledBackAsync(commit, error, rollback, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                throw new StrictSyncException(
                    $"strict write of memory {MemoryId} version {record.Version} failed in {error}; every store is back at version {previous?.Record.Version ?? 0}");
            }

            failpoints.Reach(FailpointNames.StrictBeforeCommit);
            try
            {
                await open.CommitAsync();
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The COMMIT's reply was lost: PostgreSQL may or may not hold the version. Ask it, then either keep
                // what FAISS and Redis already took, or put them back.
                _reloadBeforeNextWrite = true;
                var actual = await TryLoadAsync();
                if (actual is null || actual.Record.Version != record.Version || actual.Record.Checksum != record.Checksum)
                {
                    await Secondaries.RestoreAsync(touched, record, label, previous);
                    throw new StrictSyncException(
                        $"strict write of memory {MemoryId} version {record.Version} failed at PostgreSQL's commit ({exception.Message}); FAISS and Redis were put back");
                }
            }
        }

        var versions = record.StoreVersions with { Redis = record.Version, Faiss = record.Version };
        record = record with { StoreVersions = versions };
        _stored = new StoredMemory(record, label, embedding, commit.Hlc);
        failpoints.Reach(FailpointNames.StrictAfterCommit);
        await _completions.RecordAsync(new SyncCompletion(MemoryId, record.Version, commit.TransactionId, versions,
            [StoreNames.Redis, StoreNames.Faiss], Stopwatch.GetElapsedTime(started).TotalMilliseconds, null));

        return record;
    }

    private async Task<StoredMemory?> TryLoadAsync()
    {
        try
        {
            var actual = await LoadClaimedAsync();
            _stored = actual;
            _reloadBeforeNextWrite = false;
            return actual;
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            return null;
        }
    }
}
