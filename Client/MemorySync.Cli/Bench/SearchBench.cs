using MemorySync.Client;
using MemorySync.Faiss;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The search rows at one size: raw FAISS in this process (an index of the silo's type holding the same bench
/// vectors, searched one query at a time) against MemorySync's search by embedding, both k = 10, with each one's
/// recall@10 against the exact answer over the bench vectors.
/// </summary>
/// With the HTTP API at hand, the same queries go through it too, beside the Orleans client's row.
internal sealed class SearchBench(MemorySyncClient client, BenchLoader loader, TextWriter progress, HttpAgentApi? http = null)
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

        var searchers = new List<(string Name, Func<float[], Task<IReadOnlyList<string>>> Search)>
        {
            ($"memsync: search k={K} at {size}", async query => (await client.SearchAsync(new SearchRequest(Embedding: query, K: K))).Select(hit => hit.MemoryId).ToList()),
        };
        if (http is not null)
        {
            searchers.Add(($"memsync http: search k={K} at {size}", query => http.SearchAsync(query, K)));
        }

        var systemRows = await MeasureSystemAsync(probes, truth, searchers);
        return [rawRow, systemRows[0].ComparedWith(rawRow), .. systemRows.Skip(1).Select(row => row.ComparedWith(systemRows[0]))];
    }

    // Each query goes to every searcher in turn (the client, then HTTP), so all of them meet the same machine.
    private async Task<List<BenchRow>> MeasureSystemAsync(List<float[]> probes, List<HashSet<long>> truth,
        List<(string Name, Func<float[], Task<IReadOnlyList<string>>> Search)> searchers)
    {
        foreach (var query in probes.Take(WarmUpQueries))
        {
            foreach (var searcher in searchers)
            {
                await searcher.Search(query);
            }
        }

        var recall = new double[searchers.Count];
        var recorders = searchers.Select(_ => new LatencyRecorder()).ToList();
        for (var i = 0; i < probes.Count; i++)
        {
            var query = probes[i];
            for (var s = 0; s < searchers.Count; s++)
            {
                IReadOnlyList<string> ids = [];
                recorders[s].Start();
                await recorders[s].TimeAsync(async () => ids = await searchers[s].Search(query));
                recorders[s].Stop();
                recall[s] += Overlap(truth[i], ids.Select(loader.IndexOf));
            }
        }

        var rows = searchers.Select((searcher, s) => recorders[s].Row(searcher.Name, probes.Count) with { RecallAt10 = recall[s] / probes.Count }).ToList();
        foreach (var row in rows)
        {
            await progress.WriteLineAsync($"  {row.Name}: done");
        }

        return rows;
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
