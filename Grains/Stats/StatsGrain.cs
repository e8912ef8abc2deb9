using MemorySync.Configuration;
using MemorySync.Stores;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Concurrency;

namespace MemorySync.Stats;

[StatelessWorker]
internal sealed class StatsGrain(NpgsqlDataSource postgres, PostgresConnectionRecovery recovery, IOptions<ConsistencyOptions> consistency, IOptions<MemoryOptions> memory)
    : Grain, IStatsGrain
{
    // The grains an operator cares about, by the names the CLI and the status page show.
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["MemoryGrain"] = "memory",
        ["IndexGrain"] = "index_shard",
        ["ConsistencyGrain"] = "consistency_partition",
    };

    public Task<SyncStatistics> GetAsync() => SyncStatisticsReader.ReadAsync(postgres, recovery);

    public Task<ClusterLayout> GetLayoutAsync() =>
        Task.FromResult(new ClusterLayout(consistency.Value.Partitions, memory.Value.IndexShards));

    public async Task<IReadOnlyList<SiloInfo>> GetSilosAsync()
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var statistics = await management.GetSimpleGrainStatistics();
        var memory = await GetSiloMemoryAsync(hosts.Keys, collectGarbageFirst: false);
        return hosts.OrderBy(host => host.Key.ToString(), StringComparer.Ordinal).Select(host =>
        {
            var counts = Kinds.Values.ToDictionary(kind => kind, _ => 0, StringComparer.Ordinal);
            foreach (var statistic in statistics.Where(statistic => statistic.SiloAddress.Equals(host.Key)))
            {
                var typeName = statistic.GrainType.Split(',')[0].Split('.')[^1];
                if (Kinds.TryGetValue(typeName, out var kind))
                {
                    counts[kind] += statistic.ActivationCount;
                }
            }

            return new SiloInfo(host.Key.ToString(), host.Value.ToString(), counts, memory.GetValueOrDefault(host.Key.ToString()));
        }).ToList();
    }

    public async Task<IReadOnlyDictionary<string, ProcessMemory>> GetSiloMemoryAsync(bool collectGarbageFirst)
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return await GetSiloMemoryAsync(hosts.Keys, collectGarbageFirst);
    }

    // Asks each silo about its own process; one that does not answer in time is left out, not waited for.
    private async Task<IReadOnlyDictionary<string, ProcessMemory>> GetSiloMemoryAsync(IEnumerable<SiloAddress> silos, bool collectGarbageFirst)
    {
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var memory = await GrainFactory.GetGrain<ISiloProcessGrain>(silo.ToParsableString()).GetMemoryAsync(collectGarbageFirst)
                    .WaitAsync(TimeSpan.FromSeconds(collectGarbageFirst ? 30 : 2));
                return (Silo: silo.ToString(), Memory: memory);
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException)
            {
                return (Silo: silo.ToString(), Memory: (ProcessMemory?)null);
            }
        }));
        return answers.Where(answer => answer.Memory is not null).ToDictionary(answer => answer.Silo, answer => answer.Memory!, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<SweepStatus>> GetSweepsAsync() =>
        await Task.WhenAll(Enumerable.Range(0, consistency.Value.Partitions)
            .Select(partition => GrainFactory.GetGrain<IConsistencyGrain>(partition).GetStatusAsync()));
}
