using System.Diagnostics;
using MemorySync.Client;
using MemorySync.Model;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The consistency rows of the benchmark: makes sure the cluster holds N bench memories, then times a full check and
/// a full sweep when nothing differs, damages a fraction of the memories directly in Redis, and times both again.
/// </summary>
internal sealed class ConsistencyBench(MemorySyncClient client, IConnectionMultiplexer redis, string keyPrefix, TextWriter progress)
{
    public async Task<ConsistencyBenchReport> RunAsync(int memories, double damagedFraction, CancellationToken cancellationToken)
    {
        var loader = new BenchLoader(client, redis, keyPrefix, progress);
        var loaded = await loader.LoadAsync(memories, cancellationToken);

        return await SweepTimer.WithRemindersPausedAsync(client, async () =>
        {
            // Clean: the two runs any operator does, with nothing to find.
            await RepairLeftoversAsync();
            var cleanCheck = await TimeCheckAsync();
            var cleanSweep = await SweepTimer.TimeAsync(client, cancellationToken);

            var damaged = await DamageAsync(loader, memories, damagedFraction);
            var damagedCheck = await TimeCheckAsync();
            var damagedSweep = await SweepTimer.TimeAsync(client, cancellationToken);
            var afterwards = await client.Operations.CheckConsistencyAsync();
            return new ConsistencyBenchReport(memories, loaded, damaged, cleanCheck, cleanSweep, damagedCheck, damagedSweep, afterwards.Count);
        }, cancellationToken);
    }

    private async Task RepairLeftoversAsync()
    {
        var found = await client.Operations.CheckConsistencyAsync();
        if (found.Count > 0)
        {
            await client.Operations.RepairInconsistenciesAsync(found);
        }
    }

    private async Task<TimedCheck> TimeCheckAsync()
    {
        var clock = Stopwatch.StartNew();
        var found = await client.Operations.CheckConsistencyAsync();
        return new TimedCheck(clock.Elapsed.TotalSeconds, found.Count);
    }

    // Damages memories directly in Redis, as an operator's mistake or a partial flush would: half lose their key,
    // half have their content edited behind MemorySync's back.
    private async Task<int> DamageAsync(BenchLoader loader, int memories, double fraction)
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
            RedisKey key = RedisKeyScheme.MemoryKey(keyPrefix, loader.IdOf(index));
            return i % 2 == 0 ? (Task)batch.KeyDeleteAsync(key) : batch.HashSetAsync(key, "content", "damaged by the benchmark");
        }).ToArray();
        batch.Execute();
        await Task.WhenAll(writes);
        return count;
    }
}

/// <summary>An on-demand check: how long it took and how many memories it reported.</summary>
internal sealed record TimedCheck(double Seconds, int Inconsistent);

internal sealed record ConsistencyBenchReport(
    int Memories,
    int Loaded,
    int Damaged,
    TimedCheck CleanCheck,
    TimedSweep CleanSweep,
    TimedCheck DamagedCheck,
    TimedSweep DamagedSweep,
    int InconsistentAfterwards);
