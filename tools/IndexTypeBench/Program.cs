// Search p50 (one query at a time, k = 10, one FAISS thread, as the silo runs) and recall@10 against the exact answer
// of a Flat index, for each candidate index type, on clustered vectors. Prints a Markdown table.
//   dotnet run -c Release --project tools/IndexTypeBench -- [vectors] [centres] [noise] [candidates]
//   candidates: "IVF1024,Flat@8,16,32;IVF1024,SQ8@16,32;SQ8" (factory, then the nprobe values after @)
using System.Diagnostics;
using System.Globalization;
using MemorySync.Faiss;
using MemorySync.IndexTypeBench;

const int Dimension = 384;
const int Queries = 500;
const int K = 10;

var vectors = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var centres = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
var noise = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.08;
var candidates = (args.Length > 3 ? args[3] : "IVF1024,Flat@8,16,32,64;IVF256,Flat@8,16,32;IVF1024,SQ8@16,32;SQ8")
    .Split(';', StringSplitOptions.RemoveEmptyEntries).Select(Candidate.Parse).ToList();

var random = new Random(1234);
var topics = new ClusteredVectors(random, centres, Dimension, noise);
var stored = topics.Draw(random, vectors);
var queries = topics.Draw(random, Queries);
var ids = Enumerable.Range(0, vectors).Select(i => (long)i).ToArray();

Console.WriteLine($"{vectors} vectors of dimension {Dimension} around {centres} centres, noise {noise}; {Queries} single queries, k = {K}, 1 thread");
Console.WriteLine();
Console.WriteLine("| factory | nprobe | search p50 (ms) | recall@10 | build (s) |");
Console.WriteLine("| --- | --- | --- | --- | --- |");

FaissIndex.SetThreadCount(1);
using var exact = FaissIndex.Create(FaissIndex.DefaultFactory, FaissMetric.InnerProduct, Dimension);
exact.Add(stored, ids);
var (flatMedian, truth) = Measure(exact);
Console.WriteLine($"| Flat | - | {flatMedian:F2} | 1.000 | - |");

foreach (var candidate in candidates)
{
    var build = Stopwatch.StartNew();
    using var index = FaissIndex.Create(candidate.Factory, FaissMetric.InnerProduct, Dimension);
    index.Train(stored);
    index.Add(stored, ids);
    var buildSeconds = build.Elapsed.TotalSeconds;
    foreach (var nprobe in candidate.Nprobes.DefaultIfEmpty(0))
    {
        if (nprobe > 0)
        {
            index.SetParameter("nprobe", nprobe);
        }

        var (median, found) = Measure(index);
        var recall = found.Select((labels, q) => labels.Intersect(truth[q]).Count()).Sum() / (double)(Queries * K);
        Console.WriteLine($"| {candidate.Factory} | {(nprobe > 0 ? nprobe : "-")} | {median:F2} | {recall:F3} | {buildSeconds:F0} |");
    }
}

// One query per call, as a shard searches, after one untimed warm-up query.
(double MedianMilliseconds, long[][] Labels) Measure(FaissIndex index)
{
    index.Search(queries.AsSpan(0, Dimension), K);
    var times = new double[Queries];
    var labels = new long[Queries][];
    for (var q = 0; q < Queries; q++)
    {
        var started = Stopwatch.GetTimestamp();
        var result = index.Search(queries.AsSpan(q * Dimension, Dimension), K);
        times[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        labels[q] = result.LabelsOf(0).ToArray();
    }

    Array.Sort(times);
    return (times[Queries / 2], labels);
}
