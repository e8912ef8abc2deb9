using MemorySync.Client;
using MemorySync.Faiss;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The search rows at one size: raw FAISS in this process (an index of the silo's type holding the same bench
/// vectors, searched one query at a time) against MemorySync's search by embedding, both k = 10, with each one's
/// recall@10 against the exact answer over the bench vectors.
/// </summary>
internal sealed class SearchBench(MemorySyncClient client, BenchLoader loader, TextWriter progress)
{
    private const int K = 10;
    private const int WarmUpQueries = 20;

    public async Task<IReadOnlyList<BenchRow>> RunAsync(int memories, int queries, IndexType indexType)
    {
        var vectors = loader.Records.Vectors(memories);

        var labels = Enumerable.Range(0, memories).Select(i => (long)i).ToArray();
        using var exact = FaissIndex.Create(FaissIndex.DefaultFactory, FaissMetric.InnerProduct, BenchRecords.Dimension);
        exact.Add(vectors, labels);
        using var configured = indexType.Build(vectors, labels);
        var probes = Enumerable.Range(0, queries).Select(loader.Records.Query).ToList();
        var truth = probes.Select(query => new HashSet<long>(exact.Search(query, K).LabelsOf(0).ToArray())).ToList();
        var indexed = (await client.Operations.GetIndexInfoAsync()).Sum(shard => shard.Vectors);
        var size = $"{indexed:N0} indexed";

        var rawRecall = 0.0;
        var raw = Measure(probes, query => configured.Search(query, K), (i, result) => rawRecall += Overlap(truth[i], result.LabelsOf(0).ToArray()));
        var rawRow = raw.Row($"raw faiss: search k={K} at {size} ({indexType})", queries) with { RecallAt10 = rawRecall / queries };
        await progress.WriteLineAsync($"  {rawRow.Name}: done");

        var systemRecall = 0.0;
        foreach (var query in probes.Take(WarmUpQueries))
        {
            await client.SearchAsync(new SearchRequest(Embedding: query, K: K));
        }

        var recorder = new LatencyRecorder();
        recorder.Start();
        for (var i = 0; i < probes.Count; i++)
        {
            IReadOnlyList<SearchHit> hits = [];
            var query = probes[i];
            await recorder.TimeAsync(async () => hits = await client.SearchAsync(new SearchRequest(Embedding: query, K: K)));
            systemRecall += Overlap(truth[i], hits.Select(hit => loader.IndexOf(hit.MemoryId)));
        }

        recorder.Stop();
        var systemRow = recorder.Row($"memsync: search k={K} at {size}", queries) with { RecallAt10 = systemRecall / queries };
        await progress.WriteLineAsync($"  {systemRow.Name}: done");
        return [rawRow, systemRow.ComparedWith(rawRow)];
    }

    private static LatencyRecorder Measure(List<float[]> queries, Func<float[], FaissSearchResult> search, Action<int, FaissSearchResult> check)
    {
        foreach (var query in queries.Take(WarmUpQueries))
        {
            search(query);
        }

        var recorder = new LatencyRecorder();
        recorder.Start();
        for (var i = 0; i < queries.Count; i++)
        {
            FaissSearchResult? result = null;
            var query = queries[i];
            recorder.Time(() => result = search(query));
            check(i, result!);
        }

        recorder.Stop();
        return recorder;
    }

    // The fraction of the exact top k found; ids outside the bench set (-1) never match.
    public static double Overlap(HashSet<long> exact, IEnumerable<long> found) => found.Count(exact.Contains) / (double)K;
}
