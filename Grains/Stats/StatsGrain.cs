using MemorySync.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Concurrency;

namespace MemorySync.Stats;

[StatelessWorker]
internal sealed class StatsGrain(NpgsqlDataSource postgres, IOptions<ConsistencyOptions> consistency, IOptions<MemoryOptions> memory)
    : Grain, IStatsGrain
{
    public Task<SyncStatistics> GetAsync() => SyncStatisticsReader.ReadAsync(postgres);

    public Task<ClusterLayout> GetLayoutAsync() =>
        Task.FromResult(new ClusterLayout(consistency.Value.Partitions, memory.Value.IndexShards));
}
