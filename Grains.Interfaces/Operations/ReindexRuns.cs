namespace MemorySync.Operations;

/// <summary>A reindex of every index shard, followed to its end: for the client facade and the silo's /v1/admin/reindex.</summary>
public static class ReindexRuns
{
    /// <summary>
    /// Rebuilds every index shard from PostgreSQL into a shadow index and swaps it in (searches go on meanwhile),
    /// embedding again what another model embedded (or everything, with <paramref name="reembedAll"/>). Reports the
    /// shards' progress every <paramref name="pollInterval"/> and returns each shard's outcome.
    /// </summary>
    public static async Task<IReadOnlyList<ReindexProgress>> RunAsync(IGrainFactory grains, bool reembedAll,
        IProgress<IReadOnlyList<ReindexProgress>>? progress = null, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var layout = await grains.GetGrain<IStatsGrain>(0).GetLayoutAsync().ConfigureAwait(false);
        var shards = Enumerable.Range(0, layout.IndexShards).Select(shard => grains.GetGrain<IIndexGrain>(shard)).ToList();
        await Task.WhenAll(shards.Select(shard => shard.StartReindexAsync(reembedAll))).ConfigureAwait(false);
        while (true)
        {
            var states = await Task.WhenAll(shards.Select(shard => shard.GetReindexProgressAsync())).ConfigureAwait(false);
            var known = states.OfType<ReindexProgress>().ToList();
            progress?.Report(known);
            if (known.Count == shards.Count && known.All(state => !state.Running))
            {
                return known;
            }

            if (known.Count < shards.Count)
            {
                throw new OrleansException("an index shard was reactivated during the reindex (a silo stopped); run reindex again");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }
}
