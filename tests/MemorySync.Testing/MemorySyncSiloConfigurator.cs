using MemorySync.Silo;
using Orleans.TestingHost;

namespace MemorySync.Testing;

/// <summary>A test cluster's silo with the MemorySync services and their PostgreSQL grain storage, as the silo program wires them.</summary>
public sealed class MemorySyncSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.AddMemorySync(siloBuilder.Configuration);
        siloBuilder.UseMemorySyncPersistence(siloBuilder.Configuration["Postgres:ConnectionString"]!);
    }
}
