using System.Diagnostics;
using MemorySync.Client;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The write rows of the benchmark, in one run on the same servers: the raw stores first (PostgreSQL sequential, from
/// 16 connections, in batches of 100 per transaction; Redis pipelined; FAISS batch add; the naive sequential write to
/// all three), then MemorySync (sequential, from concurrent callers, batch sync), each with its ratio to its raw row.
/// </summary>
/// With the HTTP API at hand, the same writes go through it too, each row beside the Orleans client's.
internal sealed class WriteBench(MemorySyncClient client, RawStores raw, TextWriter progress, HttpAgentApi? http = null)
{
    private const int WarmUpWrites = 200;

    public async Task<IReadOnlyList<BenchRow>> RunAsync(int memories, int concurrency)
    {
        var records = new BenchRecords(seed: 7);
        var run = $"bw{DateTime.UtcNow:HHmmss}";
        List<MemoryWrite> Records(string row) => Enumerable.Range(0, memories).Select(i => records.Create($"{run}-{row}", i)).ToList();
        await raw.ResetAsync();

        var rows = new List<BenchRow>
        {
            await MeasureAsync("raw postgres: sequential upserts", Records("ps"), 1, raw.UpsertAsync),
            await MeasureAsync("raw postgres: 16 connections", Records("pc"), 16, raw.UpsertAsync),
            await MeasureBatchesAsync("raw postgres: batches of 100 in one transaction", Records("pb"), 100, raw.UpsertBatchAsync),
            await MeasureBatchesAsync("raw redis: pipelined", Records("rp"), 1000, raw.WriteRedisPipelinedAsync),
            await MeasureBatchesAsync("raw faiss: batch add (Flat)", Records("fb"), 1000, batch =>
            {
                raw.AddToFaiss(batch);
                return Task.CompletedTask;
            }),
            await MeasureAsync("raw naive: postgres, redis, faiss, sequential", Records("ns"), 1, async record =>
            {
                await raw.UpsertAsync(record);
                await raw.WriteRedisAsync(record);
                raw.AddToFaiss([record]);
            }),
        };
        var naive = rows[^1];

        // Beside the HTTP rows, the client's rows run in alternating rounds with them, so both meet the same machine.
        var (sequential, httpSequential) = await MeasurePairAsync(
            "memsync: sequential", Records("ms"), "memsync http: sequential put", Records("hs"), 1);
        var (concurrent, httpConcurrent) = await MeasurePairAsync(
            $"memsync: {concurrency} concurrent callers", Records("mc"), $"memsync http: {concurrency} concurrent puts", Records("hc"), concurrency);
        // The concurrent rows' p50 is queueing (about callers / throughput), so it says little of what a door adds to a
        // call: the same puts again at a fixed rate that both doors keep up with, timed from when each was due.
        var rate = PacedRate(concurrent.PerSecond, httpConcurrent?.PerSecond ?? concurrent.PerSecond);
        var (paced, httpPaced) = http is null
            ? (null, null)
            : await MeasurePacedPairAsync($"memsync: puts at {rate}/s", Records("mr"), $"memsync http: puts at {rate}/s", Records("hr"), rate, http);
        var batched = await MeasureBatchesAsync("memsync: batch sync", Records("mb"), 500, async batch =>
        {
            var result = await client.SyncBatchAsync(batch);
            if (result.Failed > 0)
            {
                throw new InvalidOperationException($"batch sync refused {result.Failed}: {result.Errors[0].Error}");
            }
        });
        rows.Add(sequential.ComparedWith(naive));
        rows.Add(concurrent.ComparedWith(rows[1]));
        rows.Add(batched.ComparedWith(rows[2]));
        if (http is not null && httpSequential is not null && httpConcurrent is not null)
        {
            rows.Add(httpSequential.ComparedWith(sequential));
            rows.Add(httpConcurrent.ComparedWith(concurrent));
            // The client's paced row against the naive sequential write: what a put costs at that load, beside an idle one.
            rows.Add(paced!.ComparedWith(naive));
            rows.Add(httpPaced!.ComparedWith(paced!));
            rows.AddRange(await MeasureReadsAsync(Records("ms"), Records("rp"), http));
        }

        return rows;
    }

    // The door alone: a read of a memory its grain already holds touches no store, so the HTTP row's difference to the
    // client's is what HTTP, the key and the JSON cost. In ten rounds each, taking turns; the client's row is compared
    // with one read of a memory's hash from Redis (the raw pipelined row's records).
    private async Task<IReadOnlyList<BenchRow>> MeasureReadsAsync(List<MemoryWrite> written, List<MemoryWrite> rawWritten, HttpAgentApi api)
    {
        var rawRecorder = new LatencyRecorder();
        await RunAsync(rawRecorder, rawWritten, 1, record => raw.ReadRedisAsync(record.MemoryId));
        var rawRow = rawRecorder.Row("raw redis: read one memory's hash", rawWritten.Count);
        var clientRecorder = new LatencyRecorder();
        var httpRecorder = new LatencyRecorder();
        foreach (var record in written.Take(20))
        {
            await client.GetAsync(record.MemoryId);
            await api.GetAsync(record.MemoryId);
        }

        foreach (var round in written.Chunk(Math.Max(1, written.Count / 10)))
        {
            await RunAsync(clientRecorder, round, 1, record => client.GetAsync(record.MemoryId));
            await RunAsync(httpRecorder, round, 1, record => api.GetAsync(record.MemoryId));
        }

        await progress.WriteLineAsync("  memsync: get, memsync http: get: done");
        var clientRow = clientRecorder.Row("memsync: get (a memory its grain holds)", written.Count);
        return [rawRow, clientRow.ComparedWith(rawRow), httpRecorder.Row("memsync http: get (a memory its grain holds)", written.Count).ComparedWith(clientRow)];
    }

    // The client's row, and with the HTTP API at hand the same row through it: ten rounds each, taking turns.
    private async Task<(BenchRow Client, BenchRow? Http)> MeasurePairAsync(string clientName, List<MemoryWrite> clientRecords, string httpName,
        List<MemoryWrite> httpRecords, int callers)
    {
        if (http is null)
        {
            return (await MeasureAsync(clientName, clientRecords, callers, record => client.UpsertAsync(record)), null);
        }

        // Untimed first: the HTTP path's code (Kestrel, JSON, the API) is compiled on its first calls, as the client's
        // path was by the rows before; neither row should pay for that.
        var warmUp = new LatencyRecorder();
        await RunAsync(warmUp, [.. WarmUpRecords($"{clientName}-warm")], callers, record => client.UpsertAsync(record));
        await RunAsync(warmUp, [.. WarmUpRecords($"{httpName}-warm")], callers, http.PutAsync);
        return await MeasureInTurnsAsync(clientName, clientRecords, httpName, httpRecords, http,
            (recorder, round, write) => RunAsync(recorder, round, callers, write));
    }

    // The client's and the HTTP API's puts at the same fixed rate, ten rounds each, taking turns.
    private Task<(BenchRow Client, BenchRow Http)> MeasurePacedPairAsync(string clientName, List<MemoryWrite> clientRecords, string httpName,
        List<MemoryWrite> httpRecords, int perSecond, HttpAgentApi api) =>
        MeasureInTurnsAsync(clientName, clientRecords, httpName, httpRecords, api,
            (recorder, round, write) => RunPacedAsync(recorder, round, perSecond, write));

    // The client's puts and the HTTP API's, ten rounds each, taking turns, each round run by runRound.
    private async Task<(BenchRow Client, BenchRow Http)> MeasureInTurnsAsync(string clientName, List<MemoryWrite> clientRecords, string httpName,
        List<MemoryWrite> httpRecords, HttpAgentApi api, Func<LatencyRecorder, IReadOnlyList<MemoryWrite>, Func<MemoryWrite, Task>, Task> runRound)
    {
        const int Rounds = 10;
        var clientRecorder = new LatencyRecorder();
        var httpRecorder = new LatencyRecorder();
        var roundSize = (clientRecords.Count + Rounds - 1) / Rounds;
        foreach (var (clientRound, httpRound) in clientRecords.Chunk(roundSize).Zip(httpRecords.Chunk(roundSize)))
        {
            await runRound(clientRecorder, clientRound, record => client.UpsertAsync(record));
            await runRound(httpRecorder, httpRound, api.PutAsync);
        }

        await progress.WriteLineAsync($"  {clientName}, {httpName}: done");
        return (clientRecorder.Row(clientName, clientRecords.Count), httpRecorder.Row(httpName, httpRecords.Count));
    }

    /// <summary>
    /// The rate of a paced pair: a quarter of the slower side's 64-caller throughput. At half, the bench's own process and
    /// the silo shared two cores so tightly that the paced p50 was 2-7 times a sequential put's: queueing again.
    /// </summary>
    internal static int PacedRate(double onePerSecond, double otherPerSecond) => Math.Max(1, (int)(0.25 * Math.Min(onePerSecond, otherPerSecond)));

    // Record i is sent when it is due (start + i / rate), whether or not earlier ones have answered, as independent
    // agents' calls arrive; a late start (the timer's granularity) counts against the call, for both doors alike.
    internal static async Task RunPacedAsync(LatencyRecorder recorder, IReadOnlyList<MemoryWrite> records, int perSecond, Func<MemoryWrite, Task> write)
    {
        var calls = new List<Task>(records.Count);
        recorder.Start();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < records.Count; i++)
        {
            var due = start + (long)((double)i * Stopwatch.Frequency / perSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var record = records[i];
            calls.Add(recorder.TimeFromAsync(due, () => write(record)));
        }

        await Task.WhenAll(calls);
        recorder.Stop();
    }

    private static IEnumerable<MemoryWrite> WarmUpRecords(string row)
    {
        var records = new BenchRecords(seed: 11);
        var prefix = $"warm{Math.Abs(StringComparer.Ordinal.GetHashCode(row)) % 100_000}";
        return Enumerable.Range(0, WarmUpWrites).Select(i => records.Create(prefix, i));
    }

    private async Task<BenchRow> MeasureAsync(string name, List<MemoryWrite> records, int callers, Func<MemoryWrite, Task> write)
    {
        var recorder = new LatencyRecorder();
        await RunAsync(recorder, records, callers, write);
        await progress.WriteLineAsync($"  {name}: done");
        return recorder.Row(name, records.Count);
    }

    // Every record written once, by `callers` concurrent callers taking the next record as they finish one.
    internal static async Task RunAsync(LatencyRecorder recorder, IReadOnlyList<MemoryWrite> records, int callers, Func<MemoryWrite, Task> write)
    {
        var next = -1;
        recorder.Start();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < records.Count)
            {
                await recorder.TimeAsync(() => write(records[index]));
            }
        }));
        recorder.Stop();
    }

    private async Task<BenchRow> MeasureBatchesAsync(string name, List<MemoryWrite> records, int size, Func<IReadOnlyList<MemoryWrite>, Task> write)
    {
        var recorder = new LatencyRecorder();
        recorder.Start();
        foreach (var batch in records.Chunk(size))
        {
            await recorder.TimeAsync(() => write(batch));
        }

        recorder.Stop();
        await progress.WriteLineAsync($"  {name}: done");
        return recorder.Row(name, records.Count);
    }
}
