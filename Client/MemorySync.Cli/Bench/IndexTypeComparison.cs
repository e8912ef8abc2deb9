using System.Diagnostics;
using MemorySync.Faiss;

namespace MemorySync.Cli.Bench;

/// <summary>
/// <c>memsync bench index</c>: raw FAISS only, no cluster. For each candidate index type, search p50 (one query per
/// call, k = 10, one thread, as a shard searches) and recall@10 against the exact answer of a Flat index, over the
/// bench's vectors: the measurement behind choosing <c>Faiss:Factory</c> and <c>Faiss:SearchParameters</c>.
/// </summary>
internal sealed class IndexTypeComparison(TextWriter progress)
{
    private const int K = 10;

    public IReadOnlyList<IndexTypeRow> Run(int vectors, int queries, IReadOnlyList<IndexCandidate> candidates)
    {
        FaissIndex.SetThreadCount(1);
        var records = new BenchRecords(seed: 42);
        var stored = records.Vectors(vectors);

        var labels = Enumerable.Range(0, vectors).Select(i => (long)i).ToArray();
        var probes = Enumerable.Range(0, queries).Select(records.Query).ToList();
        using var exact = FaissIndex.Create(FaissIndex.DefaultFactory, FaissMetric.InnerProduct, BenchRecords.Dimension);
        exact.Add(stored, labels);
        var (exactMedian, truth) = Measure(exact, probes);
        var rows = new List<IndexTypeRow> { new(FaissIndex.DefaultFactory, null, exactMedian, 1.0, 0) };
        foreach (var candidate in candidates)
        {
            progress.WriteLine($"  {candidate.Factory}: training and adding {vectors:N0} vectors");
            var clock = Stopwatch.StartNew();
            using var index = new IndexType(candidate.Factory, null).Build(stored, labels);
            var buildSeconds = clock.Elapsed.TotalSeconds;
            foreach (var nprobe in candidate.Nprobes.Select(value => (int?)value).DefaultIfEmpty())
            {
                if (nprobe is { } lists)
                {
                    index.SetParameter("nprobe", lists);
                }

                var (median, found) = Measure(index, probes);
                var recall = found.Select((result, q) => SearchBench.Overlap(truth[q], result)).Sum() / queries;
                rows.Add(new IndexTypeRow(candidate.Factory, nprobe, median, recall, buildSeconds));
            }
        }

        return rows;
    }

    // One query per call after an untimed warm-up, as a shard searches.
    private static (double MedianMilliseconds, List<HashSet<long>> Labels) Measure(FaissIndex index, List<float[]> probes)
    {
        index.Search(probes[0], K);
        var times = new double[probes.Count];
        var labels = new List<HashSet<long>>(probes.Count);
        for (var q = 0; q < probes.Count; q++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = index.Search(probes[q], K);
            times[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            labels.Add([.. result.LabelsOf(0).ToArray()]);
        }

        Array.Sort(times);
        return (times[probes.Count / 2], labels);
    }
}

/// <summary>A factory string and the nprobe values to measure it with (none for index types without lists).</summary>
internal sealed record IndexCandidate(string Factory, IReadOnlyList<int> Nprobes)
{
    /// <summary>Reads <c>IVF1024,Flat@8,16,32</c>: the factory, then after <c>@</c> the nprobe values.</summary>
    public static IndexCandidate Parse(string text)
    {
        var parts = text.Split('@', 2, StringSplitOptions.TrimEntries);
        var nprobes = parts.Length == 2
            ? parts[1].Split(',', StringSplitOptions.TrimEntries).Select(value => int.TryParse(value, out var lists) && lists > 0
                ? lists
                : throw new CliInputException($"--candidates: '{value}' in '{text}' is not a positive nprobe")).ToList()
            : [];
        return new IndexCandidate(parts[0], nprobes);
    }
}

internal sealed record IndexTypeRow(string Factory, int? Nprobe, double SearchP50Milliseconds, double RecallAt10, double BuildSeconds);
