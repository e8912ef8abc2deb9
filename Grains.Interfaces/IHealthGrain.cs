namespace MemorySync;

/// <summary>Probes the stores from the silo it runs on. A stateless worker: every silo answers for itself.</summary>
public interface IHealthGrain : IGrainWithIntegerKey
{
    /// <summary>Probes Redis, PostgreSQL and the FAISS binding now and reports each one's state.</summary>
    Task<HealthReport> CheckAsync();
}
