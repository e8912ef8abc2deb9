namespace MemorySync.FaultTests.Cluster;

/// <summary>
/// A <see cref="FaultCluster"/> whose silos run in network namespaces of a <see cref="NetworkFabric"/>, for the
/// partition scenarios; started once for all of them, and torn down with its namespaces after.
/// </summary>
public sealed class FaultClusterOnFabric : IAsyncLifetime
{
    private NetworkFabric? _fabric;

    public FaultCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _fabric = await NetworkFabric.CreateAsync(FaultCluster.SiloCount);
        Cluster = new FaultCluster(_fabric);
        await Cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (_fabric is not null)
        {
            await _fabric.DisposeAsync();
        }
    }
}
