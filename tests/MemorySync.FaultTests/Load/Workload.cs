using System.Diagnostics;
using System.Globalization;
using MemorySync.Client;
using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.FaultTests.Load;

/// <summary>
/// Concurrent writers through the real client: upserts and deletes over a small id space (so every id gets many
/// versions), batch syncs and searches, each recorded in the <see cref="WriteLedger"/> as acknowledged or of unknown
/// outcome. Runs until <see cref="StopAsync"/>.
/// </summary>
internal sealed class Workload : IAsyncDisposable
{
    private const int BatchSize = 4;

    // The writer number in the content of an AvailabilityProbe's writes: no writer task has it.
    private const int ProbeWriter = -1;

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

    public int Writers => _writers.Count;

    public TimeSpan Elapsed => _running.Elapsed;

    /// <summary>Every memory the writers write, <c>{prefix}-0 … {prefix}-{ids-1}</c>.</summary>
    public IReadOnlyList<string> MemoryIds => [.. Enumerable.Range(0, _ids).Select(MemoryId)];

    /// <summary>The client the writers use now.</summary>
    public MemorySyncClient Client => Volatile.Read(ref _client);

    /// <summary>Connects a client and starts <paramref name="writers"/> writers over ids <c>{prefix}-0 … {prefix}-{ids-1}</c>.</summary>
    public static async Task<Workload> StartAsync(Func<Task<MemorySyncClient>> connect, string prefix, int writers, int ids)
    {
        var workload = new Workload(await connect(), connect, prefix, ids);
        workload._running.Start();
        for (var writer = 0; writer < writers; writer++)
        {
            var seed = writer;
            workload._writers.Add(Task.Run(() => workload.WriteUntilStoppedAsync(seed)));
        }

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
        while (!_stop.IsCancellationRequested)
        {
            var succeeded = random.Next(100) switch
            {
                < 60 => await UpsertAsync(RandomId(random), NextContent(writer), random),
                < 75 => await DeleteAsync(RandomId(random)),
                < 90 => await SyncBatchAsync(writer, random),
                _ => await SearchAsync(random),
            };
            if (!succeeded)
            {
                await Task.Delay(PauseAfterFailure);
            }
        }
    }

    private async Task<bool> UpsertAsync(string memoryId, string content, Random random)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var record = await Client.UpsertAsync(new MemoryWrite(memoryId, content, Embedding: TestVectors.Unit(random)));
            Ledger.Record(new LedgerEntry(memoryId, content, record.Version, Acknowledged: true));
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.Record(new LedgerEntry(memoryId, content, Version: null, Acknowledged: false));
            return false;
        }
    }

    /// <summary>One upsert of the memory, recorded in the ledger like the writers' own: whether it was acknowledged.</summary>
    public Task<bool> ProbeWriteAsync(string memoryId) => UpsertAsync(memoryId, NextContent(ProbeWriter), new Random());

    private async Task<bool> DeleteAsync(string memoryId)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Null: there was nothing to delete, so nothing was written.
            if (await Client.DeleteAsync(memoryId) is { } tombstone)
            {
                Ledger.Record(new LedgerEntry(memoryId, Content: null, tombstone.Version, Acknowledged: true));
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

    private async Task<bool> SearchAsync(Random random)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Client.SearchAsync(new SearchRequest(Embedding: TestVectors.Unit(random), K: 5));
            Ledger.RecordSearch(succeeded: true);
            return true;
        }
        catch (Exception exception) when (exception is not MemoryValidationException)
        {
            Ledger.RecordFailure(exception, Stopwatch.GetElapsedTime(started));
            Ledger.RecordSearch(succeeded: false);
            return false;
        }
    }

    private string RandomId(Random random) => MemoryId(random.Next(_ids));

    private string MemoryId(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{index}");

    // Unique to each write, so the checker can tell which write a stored version came from.
    private string NextContent(int writer) =>
        string.Create(CultureInfo.InvariantCulture, $"{_prefix} writer {writer} write {Interlocked.Increment(ref _writes)}");
}
