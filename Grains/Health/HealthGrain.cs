using Orleans.Concurrency;

namespace MemorySync.Health;

/// <summary>Answers health questions on whichever silo the caller reached; any number may run at once.</summary>
[StatelessWorker]
internal sealed class HealthGrain(StoreHealthMonitor monitor, ILocalSiloDetails silo) : Grain, IHealthGrain
{
    public async Task<HealthReport> CheckAsync()
    {
        return await monitor.ReportAsync(silo.SiloAddress.ToString());
    }
}
