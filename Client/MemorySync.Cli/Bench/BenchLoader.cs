using MemorySync.Client;
using MemorySync.Model;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The benchmark's standing memories (<c>bench-0000000</c>, ...; seed 42): makes sure the cluster holds the first N,
/// writing the missing ones through MemorySync's batch sync, so a second run on the same stack loads nothing. A bench
/// memory whose content is not what this generator makes (left by an older version of the benchmark) is written again,
/// so search recall is always judged against the vectors the cluster really holds.
/// </summary>
internal sealed class BenchLoader(MemorySyncClient client, IConnectionMultiplexer redis, string keyPrefix, TextWriter progress)
{
    private const string Prefix = "bench";
    private const int LoadBatch = 500;

    public BenchRecords Records { get; } = new(seed: 42);

    public string IdOf(int index) => Records.IdOf(Prefix, index);

    public MemoryWrite Create(int index) => Records.Create(Prefix, index);

    /// <summary>The bench index of a memory id, or -1 for a memory that is not one of the bench's.</summary>
    public long IndexOf(string memoryId) =>
        memoryId.StartsWith(Prefix + "-", StringComparison.Ordinal) && long.TryParse(memoryId.AsSpan(Prefix.Length + 1), out var index) ? index : -1;

    /// <summary>Writes the first <paramref name="memories"/> bench memories the cluster lacks or holds otherwise; returns how many.</summary>
    public async Task<int> LoadAsync(int memories, CancellationToken cancellationToken)
    {
        var missing = await MissingAsync(memories);
        var bar = new ProgressBar(progress, missing.Count, "bench memories loaded");
        var done = 0;
        foreach (var pair in missing.Chunk(LoadBatch).Chunk(2))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(pair.Select(chunk => client.SyncBatchAsync(chunk.Select(Create).ToList())));
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

    // Which of the first N are absent or differ, judged by their content in Redis (pipelined, a thousand at a time).
    private async Task<List<int>> MissingAsync(int memories)
    {
        var missing = new List<int>();
        var database = redis.GetDatabase();
        foreach (var chunk in Enumerable.Range(0, memories).Chunk(1000))
        {
            var batch = database.CreateBatch();
            var contents = chunk.Select(index => batch.HashGetAsync(RedisKeyScheme.MemoryKey(keyPrefix, IdOf(index)), "content")).ToArray();
            batch.Execute();
            var found = await Task.WhenAll(contents);
            missing.AddRange(chunk.Where((index, i) => found[i] != Create(index).Content));
        }

        return missing;
    }
}
