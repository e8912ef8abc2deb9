using System.Diagnostics;
using System.Globalization;
using MemorySync.Client;
using MemorySync.Testing;

namespace MemorySync.FaultTests.Load;

/// <summary>
/// Concurrent writers through the real client over a small id space (so every id gets many versions): blind upserts,
/// conflict-aware upserts (a read, then a write based on its version, under each conflict strategy, some strict, some
/// with a precondition), deletes, batch syncs, reads and searches, each write recorded in the <see cref="WriteLedger"/>
/// as acknowledged, refused or of unknown outcome, and each read checked never to go back behind what its reader saw.
/// Beside them, one task writes markers and times how soon searches find them (<see cref="SearchVisibility"/>).
/// Runs until <see cref="StopAsync"/>.
/// </summary>
internal sealed class Workload : IAsyncDisposable
{
    private const int BatchSize = 4;

    private static readonly ConflictStrategy[] Strategies = Enum.GetValues<ConflictStrategy>();

    // The writer number in the content of an AvailabilityProbe's writes: no writer task has it.
    private const int ProbeWriter = -1;

    // The writer number in the content of the search-visibility markers.
    private const int MarkerWriter = -2;

    // After a failed call a writer waits this long before the next: a stopped store fails calls at once, and a writer
    // that retried in a tight loop would fill the ledger and the two cores with failures.
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(200);

    private readonly Func<Task<MemorySyncClient>> _connect;
    private readonly string _prefix;
    private readonly int _ids;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _running = new();
    private readonly List<Task> _writers = [];
    private MemorySyncClient _client;
    private int _writes;

    private Workload(MemorySyncClient client, Func<Task<MemorySyncClient>> connect, string prefix, int ids)
    {
        _client = client;
        _connect = connect;
        _prefix = prefix;
        _ids = ids;
    }

    public WriteLedger Ledger { get; } = new();

    public SearchVisibility Visibility { get; } = new();

    public int Writers { get; private set; }

    public TimeSpan Elapsed => _running.Elapsed;

    /// <summary>Every memory the writers write, <c>{prefix}-0 … {prefix}-{ids-1}</c>.</summary>
    public IReadOnlyList<string> MemoryIds => [.. Enumerable.Range(0, _ids).Select(MemoryId)];

    /// <summary>The client the writers use now.</summary>
    public MemorySyncClient Client => Volatile.Read(ref _client);

    /// <summary>Connects a client and starts <paramref name="writers"/> writers over ids <c>{prefix}-0 … {prefix}-{ids-1}</c>.</summary>
    public static async Task<Workload> StartAsync(Func<Task<MemorySyncClient>> connect, string prefix, int writers, int ids)
    {
        var workload = new Workload(await connect(), connect, prefix, ids) { Writers = writers };
        workload._running.Start();
        for (var writer = 0; writer < writers; writer++)
        {
            var seed = writer;
            workload._writers.Add(Task.Run(() => workload.WriteUntilStoppedAsync(seed)));
        }

        workload._writers.Add(Task.Run(workload.WriteMarkersUntilStoppedAsync));

        return workload;
    }

    /// <summary>
    /// Swaps in a new client, as an agent host would after its silos came back: a client whose every gateway died may
    /// take a minute to look for new ones.
    /// </summary>
    public async Task ReconnectAsync()
    {
        var old = Interlocked.Exchange(ref _client, await _connect());
        await old.DisposeAsync();
    }

    /// <summary>Stops the writers (each finishes the call it is in) and the clock of <see cref="Elapsed"/>.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
        _running.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        await Client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WriteUntilStoppedAsync(int writer)
    {
        var random = new Random(writer);
        var reads = new ReadTracker(writer);
        while (!_stop.IsCancellationRequested)
        {
            var succeeded = random.Next(100) switch
            {
                < 45 => await UpsertAsync(RandomId(random), NextContent(writer), TestVectors.Unit(random), reads),
                < 55 => await ConflictAwareUpsertAsync(RandomId(random), NextContent(writer), random, reads),
                < 67 => await DeleteAsync(RandomId(random), reads),
                < 80 => await SyncBatchAsync(writer, random),
                < 90 => await ReadAsync(RandomId(random), reads),
                _ => await SearchAsync(random),
            };
            if (!succeeded)
            {
                await Task.Delay(PauseAfterFailure);
            }
        }
    }

    private async Task<bool> UpsertAsync(string memoryId, string content, float[] vector, ReadTracker? reads)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var record = await Client.UpsertAsync(new MemoryWrite(memoryId, content, Embedding: vector));
            Ledger.Record(new LedgerEntry(memoryId, content, record.Version, Acknowledged: true));
            reads?.Saw(memoryId, record.Version);
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.Record(new LedgerEntry(memoryId, content, Version: null, Acknowledged: false));
            return false;
        }
    }

    // Reads the memory, then writes based on the version read, as an agent editing what it remembers would: under a
    // random conflict strategy, one write in four strict, one in four with the version read as a precondition
    // (If-Match). The acknowledgement is recorded as it came back: a conflict may leave the other side's content, or
    // the version as it was.
    private async Task<bool> ConflictAwareUpsertAsync(string memoryId, string content, Random random, ReadTracker reads)
    {
        var started = Stopwatch.GetTimestamp();
        MemoryWrite? write = null;
        try
        {
            var current = await Client.GetAsync(memoryId);
            RecordRead(reads, memoryId, current);
            var precondition = random.Next(4) == 0;
            write = new MemoryWrite(memoryId, content, Embedding: TestVectors.Unit(random), BaseVersion: current?.Version,
                Strategy: Strategies[random.Next(Strategies.Length)], Mode: random.Next(4) == 0 ? SyncMode.Strict : SyncMode.Eventual,
                ExpectedVersion: precondition ? current?.Version ?? 0 : null);
            var record = await Client.UpsertAsync(write);
            Ledger.Record(new LedgerEntry(memoryId, record.Deleted ? null : record.Content, record.Version, Acknowledged: true));
            Ledger.RecordConflictAware();
            reads.Saw(memoryId, record.Version);
            return true;
        }
        catch (Exception refused) when (refused is StrictSyncException
            || (refused is MemoryConflictException conflict && write?.ExpectedVersion is { } expected && conflict.ExpectedVersion == expected))
        {
            // A strict write a store failed is rolled back in every store, and says so; a precondition that no longer
            // held stored nothing. Either way the writer knows its write is not there, and the checker holds it to that.
            Ledger.Record(new LedgerEntry(memoryId, content, Version: null, Acknowledged: false, Refused: true));
            Ledger.RecordConflictAware();
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.Record(new LedgerEntry(memoryId, content, Version: null, Acknowledged: false));
            return false;
        }
    }

    private async Task<bool> ReadAsync(string memoryId, ReadTracker reads)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            RecordRead(reads, memoryId, await Client.GetAsync(memoryId));
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            return false;
        }
    }

    private void RecordRead(ReadTracker reads, string memoryId, MemoryRecord? read) => Ledger.RecordRead(reads.Read(memoryId, read?.Version));

    /// <summary>One upsert of the memory, recorded in the ledger like the writers' own: whether it was acknowledged.</summary>
    public Task<bool> ProbeWriteAsync(string memoryId) => UpsertAsync(memoryId, NextContent(ProbeWriter), TestVectors.Unit(new Random()), reads: null);

    private async Task<bool> DeleteAsync(string memoryId, ReadTracker reads)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Null: there was nothing to delete, so nothing was written.
            if (await Client.DeleteAsync(memoryId) is { } tombstone)
            {
                Ledger.Record(new LedgerEntry(memoryId, Content: null, tombstone.Version, Acknowledged: true));
                reads.Saw(memoryId, tombstone.Version);
            }

            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.Record(new LedgerEntry(memoryId, Content: null, Version: null, Acknowledged: false));
            return false;
        }
    }

    private async Task<bool> SyncBatchAsync(int writer, Random random)
    {
        var writes = Enumerable.Range(0, BatchSize).Select(_ => RandomId(random)).Distinct(StringComparer.Ordinal)
            .Select(id => new MemoryWrite(id, NextContent(writer), Embedding: TestVectors.Unit(random)))
            .ToList();
        HashSet<string> refused;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await Client.SyncBatchAsync(writes);
            refused = result.Errors.Select(error => error.MemoryId).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            refused = writes.Select(write => write.MemoryId).ToHashSet(StringComparer.Ordinal);
        }

        // A batch acknowledges each memory it stored, without its version: the checker finds it by its content.
        foreach (var write in writes)
        {
            Ledger.Record(new LedgerEntry(write.MemoryId, write.Content, Version: null, Acknowledged: !refused.Contains(write.MemoryId)));
        }

        return refused.Count == 0;
    }

    private async Task<bool> SearchAsync(Random random) => await SearchAsync(TestVectors.Unit(random)) is not null;

    // The hits, or null when the search failed (recorded in the ledger).
    private async Task<IReadOnlyList<SearchHit>?> SearchAsync(float[] vector)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var hits = await Client.SearchAsync(new SearchRequest(Embedding: vector, K: 5));
            Ledger.RecordSearch(succeeded: true);
            return hits;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.RecordSearch(succeeded: false);
            return null;
        }
    }

    // Markers {prefix}-found-N, each written once (until acknowledged) and then searched for until found.
    private async Task WriteMarkersUntilStoppedAsync()
    {
        // Unseeded: a marker's vector must be its own, never one an earlier scenario's marker already has.
        var random = new Random();
        for (var marker = 0; !_stop.IsCancellationRequested; marker++)
        {
            var memoryId = string.Create(CultureInfo.InvariantCulture, $"{_prefix}-found-{marker}");
            var vector = TestVectors.Unit(random);
            var content = NextContent(MarkerWriter);
            while (!_stop.IsCancellationRequested && !await UpsertAsync(memoryId, content, vector, reads: null))
            {
                await Task.Delay(PauseAfterFailure);
            }

            await Visibility.FollowAsync(SearchAsync, memoryId, vector, _stop.Token);
        }
    }

    private string RandomId(Random random) => MemoryId(random.Next(_ids));

    private string MemoryId(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{index}");

    // Unique to each write, so the checker can tell which write a stored version came from.
    private string NextContent(int writer) =>
        string.Create(CultureInfo.InvariantCulture, $"{_prefix} writer {writer} write {Interlocked.Increment(ref _writes)}");
}
