using MemorySync.Client;
using MemorySync.Faiss;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// <c>memsync bench</c>: every row in one run on the same servers. Writes (raw stores, then MemorySync), an import with
/// server-side embedding beside the raw embedder, then search
/// at each size (the bench memories loaded up to it first), the silos' memory, and a clean consistency sweep against
/// the naive audit of the stores.
/// </summary>
internal sealed class FullBench(MemorySyncClient client, NpgsqlDataSource postgres, IConnectionMultiplexer redis, string keyPrefix, TextWriter progress,
    HttpAgentApi http)
{
    // A reading of the silos' memory needs this many newly indexed memories to give a slope worth reporting.
    private const int FewestForMemorySlope = 10_000;

    public async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        // Raw FAISS gets the threads a shard gets by default (Faiss:Threads = 1), so the search rows compare like with like.
        FaissIndex.SetThreadCount(1);
        // The sweep row measures one sweep on its own; no reminder's sweep runs beside the other rows.
        return await SweepTimer.WithRemindersPausedAsync(client, () => MeasureAsync(settings, cancellationToken), cancellationToken);
    }

    private async Task<BenchReport> MeasureAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var memory = new SiloMemoryProbe(client);
        var before = await memory.ReadAsync();

        await progress.WriteLineAsync("writes:");
        var rows = new List<BenchRow>();
        await using (var raw = new RawStores(postgres, redis))
        {
            rows.AddRange(await new WriteBench(client, raw, progress, http).RunAsync(settings.Memories, settings.Concurrency));
        }

        await progress.WriteLineAsync("import:");
        rows.AddRange(await new ImportBench(client, progress).RunAsync(settings.ImportTexts));

        var indexType = IndexType.Of(await client.Operations.GetIndexInfoAsync());
        var loader = new BenchLoader(client, redis, keyPrefix, progress);
        foreach (var size in settings.SearchAt.Order())
        {
            await progress.WriteLineAsync($"search at {size:N0}:");
            var indexed = (await client.Operations.GetIndexInfoAsync()).Sum(shard => shard.Vectors);
            if (indexed > size * 5L / 4)
            {
                // A size far below what the cluster indexes cannot be measured without deleting memories.
                await progress.WriteLineAsync($"  skipped: the cluster already indexes {indexed:N0} memories (run on a fresh stack for this row)");
                continue;
            }

            await loader.LoadAsync(size, cancellationToken);
            indexType = IndexType.Of(await client.Operations.GetIndexInfoAsync());
            rows.AddRange(await new SearchBench(client, loader, progress, http).RunAsync(size, settings.Queries, indexType));
        }

        var withGrains = await memory.ReadAsync();
        await memory.CollectIdleMemoryGrainsAsync(cancellationToken);
        var collected = await memory.ReadAsync();

        await progress.WriteLineAsync("consistency:");
        rows.AddRange(await SweepRowsAsync(cancellationToken));
        return new BenchReport(BenchMachine.Describe(), settings, rows,
            MemoryReport(before, withGrains, collected, indexType.VectorBytes(BenchRecords.Dimension)));
    }

    private async Task<IReadOnlyList<BenchRow>> SweepRowsAsync(CancellationToken cancellationToken)
    {
        var naive = await new NaiveComparison(postgres, redis, keyPrefix).RunAsync();
        await progress.WriteLineAsync($"  {naive.Name}: done");
        var sweep = await SweepTimer.TimeAsync(client, cancellationToken);
        var milliseconds = sweep.Seconds * 1000;
        var row = new BenchRow($"memsync: clean consistency sweep, all partitions ({sweep.Inconsistent} differ)", (int)sweep.Examined,
            sweep.Examined / sweep.Seconds, milliseconds, milliseconds);
        await progress.WriteLineAsync($"  {row.Name}: done");
        return [naive, row.ComparedWith(naive)];
    }

    private static SiloMemoryReport MemoryReport(SiloMemoryReading before, SiloMemoryReading withGrains, SiloMemoryReading collected, int vectorBytes)
    {
        var added = collected.Indexed - before.Indexed;
        double? Slope(SiloMemoryReading after) =>
            added >= FewestForMemorySlope ? (double)(after.ResidentBytes - before.ResidentBytes) / added - vectorBytes : null;
        return new SiloMemoryReport(Math.Max(withGrains.PeakResidentBytes, collected.PeakResidentBytes), collected.Indexed, added, vectorBytes,
            Slope(withGrains), Slope(collected));
    }
}

/// <summary>The flags of one run.</summary>
internal sealed record BenchSettings(int Memories, int Concurrency, IReadOnlyList<int> SearchAt, int Queries, int ImportTexts);

internal sealed record BenchReport(BenchMachine Machine, BenchSettings Settings, IReadOnlyList<BenchRow> Rows, SiloMemoryReport SiloMemory);
