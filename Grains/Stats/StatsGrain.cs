using Npgsql;
using Orleans.Concurrency;

namespace MemorySync.Stats;

[StatelessWorker]
internal sealed class StatsGrain(NpgsqlDataSource postgres) : Grain, IStatsGrain
{
    public Task<SyncStatistics> GetAsync() => SyncStatisticsReader.ReadAsync(postgres);
}
