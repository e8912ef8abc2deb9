using MemorySync.Cli.Import;
using MemorySync.Client;
using MemorySync.Embeddings;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The import rows: the bundled model embedding the texts in this process (batches of the import's size on every core,
/// with the silo idle), then the same texts imported through the cluster with server-side embedding, as
/// <c>memsync import</c> sends them. The ratio says what the cluster adds to the embedder's own cost.
/// </summary>
internal sealed class ImportBench(MemorySyncClient client, TextWriter progress)
{
    public const int BatchSize = 250;
    public const int BatchesAtOnce = 3;

    private const int WarmUpTexts = 64;

    public async Task<IReadOnlyList<BenchRow>> RunAsync(int texts)
    {
        var contents = BenchDescriptions.Create(texts, seed: 5);
        var raw = MeasureRawEmbedding(contents);
        await progress.WriteLineAsync($"  {raw.Name}: done");
        var import = await MeasureImportAsync(contents);
        await progress.WriteLineAsync($"  {import.Name}: done");
        return [raw, import.ComparedWith(raw)];
    }

    private static BenchRow MeasureRawEmbedding(IReadOnlyList<string> contents)
    {
        using var embedder = new MiniLmEmbeddingGenerator();
        // Loading the model (about 2 s) is not embedding; the silo loaded its copy long before an import.
        embedder.Embed([.. BenchDescriptions.Create(WarmUpTexts, seed: 6)]);
        var recorder = new LatencyRecorder();
        recorder.Start();
        foreach (var batch in contents.Chunk(BatchSize))
        {
            recorder.Time(() => embedder.Embed(batch));
        }

        recorder.Stop();
        return recorder.Row($"raw minilm: embed in batches of {BatchSize}", contents.Count);
    }

    private async Task<BenchRow> MeasureImportAsync(IReadOnlyList<string> contents)
    {
        var run = $"bi{DateTime.UtcNow:HHmmss}";
        var writes = contents.Select((content, i) => new MemoryWrite($"{run}-{i:D7}", content, MemoryTypes.Semantic, 0.5,
            """{"bench":"import"}""", AgentId: "bench-import")).ToList();
        // The silo's model is loaded (and its batch path compiled) by a warm-up batch of other ids.
        await SendAsync([.. BenchDescriptions.Create(WarmUpTexts, seed: 6).Select((content, i) => new MemoryWrite($"{run}-warm-{i}", content,
            MemoryTypes.Semantic, 0.5, "{}", AgentId: "bench-import"))]);
        var recorder = new LatencyRecorder();
        recorder.Start();
        await new BatchesInFlight<MemoryWrite, BatchSyncError>(BatchesAtOnce, write => write.MemoryId).RunAsync(writes.Chunk(BatchSize),
            async batch =>
            {
                await recorder.TimeAsync(() => SendAsync(batch));
                return [];
            }, (_, _) => { });
        recorder.Stop();
        return recorder.Row($"memsync: import with server-side embedding ({BatchesAtOnce} batches of {BatchSize} in flight)", contents.Count);
    }

    // A refused line would make the row measure less than the texts: the bench stops instead.
    private async Task SendAsync(MemoryWrite[] batch)
    {
        var result = await client.SyncBatchAsync(batch);
        if (result.Failed > 0)
        {
            throw new InvalidOperationException($"batch sync refused {result.Failed}: {result.Errors[0].Error}");
        }
    }
}
