using System.Diagnostics;
using MemorySync.Client;
using MemorySync.Consistency;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The consistency rows of the benchmark: makes sure the cluster holds N bench memories, then times a full check and
/// a full sweep when nothing differs, damages a fraction of the memories directly in Redis, and times both again.
/// </summary>
internal sealed class ConsistencyBench(MemorySyncClient client, IConnectionMultiplexer redis, string keyPrefix, TextWriter progress)
{
    private const string Prefix = "bench";
    private const int LoadBatch = 500;

    public async Task<ConsistencyBenchReport> RunAsync(int memories, double damagedFraction, CancellationToken cancellationToken)
    {
        var records = new BenchRecords(seed: 42);
        var loaded = await LoadAsync(records, memories, cancellationToken);

        // The reminders' own sweeps would repair the damage between the measurements: hold them off meanwhile.
        await client.PauseSweepRemindersAsync(TimeSpan.FromHours(1));
        try
        {
            await WaitUntilNoSweepRunsAsync(cancellationToken);
            // Clean: the two runs any operator does, with nothing to find.
            await RepairLeftoversAsync();
            var cleanCheck = await TimeCheckAsync();
            var cleanSweep = await TimeSweepAsync(cancellationToken);

            var damaged = await DamageAsync(records, memories, damagedFraction);
            var damagedCheck = await TimeCheckAsync();
            var damagedSweep = await TimeSweepAsync(cancellationToken);
            var afterwards = await client.CheckConsistencyAsync();
            return new ConsistencyBenchReport(memories, loaded, damaged, cleanCheck, cleanSweep, damagedCheck, damagedSweep, afterwards.Count);
        }
        finally
        {
            await client.PauseSweepRemindersAsync(TimeSpan.Zero);
        }
    }

    private async Task WaitUntilNoSweepRunsAsync(CancellationToken cancellationToken)
    {
        while ((await client.GetSweepStatusAsync()).Any(status => status.Phase != "idle"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    // Writes the bench memories the cluster does not hold yet, through MemorySync's batch sync (so all three stores).
    private async Task<int> LoadAsync(BenchRecords records, int memories, CancellationToken cancellationToken)
    {
        var missing = new List<int>();
        var database = redis.GetDatabase();
        foreach (var chunk in Enumerable.Range(0, memories).Chunk(1000))
        {
            var batch = database.CreateBatch();
            var exists = chunk.Select(index => batch.KeyExistsAsync(RedisKeyScheme.MemoryKey(keyPrefix, records.IdOf(Prefix, index)))).ToArray();
            batch.Execute();
            var found = await Task.WhenAll(exists);
            missing.AddRange(chunk.Where((_, i) => !found[i]));
        }

        var bar = new ProgressBar(progress, missing.Count, "memories loaded");
        var done = 0;
        foreach (var pair in missing.Chunk(LoadBatch).Chunk(2))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(pair.Select(chunk => client.SyncBatchAsync(chunk.Select(index => records.Create(Prefix, index)).ToList())));
            var failed = results.SelectMany(result => result.Errors).FirstOrDefault();
            if (failed is not null)
            {
                throw new InvalidOperationException($"loading bench memories failed: {failed.MemoryId}: {failed.Error}");
            }

            done += pair.Sum(chunk => chunk.Length);
            bar.Report(done);
        }

        return missing.Count;
    }

    private async Task RepairLeftoversAsync()
    {
        var found = await client.CheckConsistencyAsync();
        if (found.Count > 0)
        {
            await client.RepairInconsistenciesAsync(found);
        }
    }

    private async Task<TimedCheck> TimeCheckAsync()
    {
        var clock = Stopwatch.StartNew();
        var found = await client.CheckConsistencyAsync();
        return new TimedCheck(clock.Elapsed.TotalSeconds, found.Count);
    }

    // Starts every partition's sweep and waits until each has finished one that started after this call.
    private async Task<TimedSweep> TimeSweepAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await client.SweepNowAsync();
        while (true)
        {
            var statuses = await client.GetSweepStatusAsync();
            if (statuses.All(status => status.Phase == "idle" && status.LastSweep is { } last && last.StartedAt >= started.AddSeconds(-1)))
            {
                var sweeps = statuses.Select(status => status.LastSweep!).ToList();
                return new TimedSweep(clock.Elapsed.TotalSeconds, sweeps.Sum(sweep => sweep.Examined), sweeps.Sum(sweep => sweep.RangesDiffering),
                    sweeps.Sum(sweep => sweep.RecordsRead), sweeps.Sum(sweep => sweep.Inconsistent), sweeps.Sum(sweep => sweep.Repaired));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    // Damages memories directly in Redis, as an operator's mistake or a partial flush would: half lose their key,
    // half have their content edited behind MemorySync's back.
    private async Task<int> DamageAsync(BenchRecords records, int memories, double fraction)
    {
        var count = (int)Math.Round(memories * fraction);
        var random = new Random(7);
        var chosen = new HashSet<int>();
        while (chosen.Count < count)
        {
            chosen.Add(random.Next(memories));
        }

        var database = redis.GetDatabase();
        var batch = database.CreateBatch();
        var writes = chosen.Select((index, i) =>
        {
            RedisKey key = RedisKeyScheme.MemoryKey(keyPrefix, records.IdOf(Prefix, index));
            return i % 2 == 0 ? (Task)batch.KeyDeleteAsync(key) : batch.HashSetAsync(key, "content", "damaged by the benchmark");
        }).ToArray();
        batch.Execute();
        await Task.WhenAll(writes);
        return count;
    }
}

/// <summary>An on-demand check: how long it took and how many memories it reported.</summary>
internal sealed record TimedCheck(double Seconds, int Inconsistent);

/// <summary>A sweep of every partition: how long until all finished, and what they examined, read, found and repaired.</summary>
internal sealed record TimedSweep(double Seconds, long Examined, int RangesDiffering, long RecordsRead, int Inconsistent, int Repaired);

internal sealed record ConsistencyBenchReport(
    int Memories,
    int Loaded,
    int Damaged,
    TimedCheck CleanCheck,
    TimedSweep CleanSweep,
    TimedCheck DamagedCheck,
    TimedSweep DamagedSweep,
    int InconsistentAfterwards);
