using MemorySync.Client;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The write rows of the benchmark, in one run on the same servers: the raw stores first (PostgreSQL sequential, from
/// 16 connections, in batches of 100 per transaction; Redis pipelined; the naive sequential write to PostgreSQL and
/// Redis), then MemorySync (sequential, from concurrent callers, batch sync), each with its ratio to its raw row.
/// </summary>
internal sealed class WriteBench(MemorySyncClient client, RawStores raw, TextWriter progress)
{
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
            await MeasureAsync("raw naive: postgres then redis, sequential", Records("ns"), 1, async record =>
            {
                await raw.UpsertAsync(record);
                await raw.WriteRedisAsync(record);
            }),
        };

        var sequential = await MeasureAsync("memsync: sequential", Records("ms"), 1, record => client.UpsertAsync(record));
        var concurrent = await MeasureAsync($"memsync: {concurrency} concurrent callers", Records("mc"), concurrency, record => client.UpsertAsync(record));
        var batched = await MeasureBatchesAsync("memsync: batch sync", Records("mb"), 500, async batch =>
        {
            var result = await client.SyncBatchAsync(batch);
            if (result.Failed > 0)
            {
                throw new InvalidOperationException($"batch sync refused {result.Failed}: {result.Errors[0].Error}");
            }
        });
        rows.Add(Compare(sequential, rows[4]));
        rows.Add(Compare(concurrent, rows[1]));
        rows.Add(Compare(batched, rows[2]));
        return rows;
    }

    private static BenchRow Compare(BenchRow system, BenchRow baseline) => system with
    {
        ComparedTo = baseline.Name,
        ThroughputRatio = system.PerSecond / baseline.PerSecond,
        P50Ratio = baseline.P50Milliseconds > 0 ? system.P50Milliseconds / baseline.P50Milliseconds : null,
        P99Ratio = baseline.P99Milliseconds > 0 ? system.P99Milliseconds / baseline.P99Milliseconds : null,
    };

    // Every record written once, by `callers` concurrent callers taking the next record as they finish one.
    private async Task<BenchRow> MeasureAsync(string name, List<MemoryWrite> records, int callers, Func<MemoryWrite, Task> write)
    {
        var recorder = new LatencyRecorder();
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
        await progress.WriteLineAsync($"  {name}: done");
        return recorder.Row(name, records.Count);
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
