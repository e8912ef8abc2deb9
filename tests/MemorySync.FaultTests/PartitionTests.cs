using MemorySync.FaultTests.Cluster;
using MemorySync.FaultTests.Scenarios;
using MemorySync.Testing;

namespace MemorySync.FaultTests;

/// <summary>
/// Network partitions, made with real network namespaces: silos cut off from each other (both ways, one way) or a
/// client cut off from its gateway, while everyone still reaches PostgreSQL and Redis; then healed. Every acknowledged
/// write survives, no memory is written by two activations over each other (the checker would see a lost write, a gap
/// in a history, or content no write sent), and the stores converge.
/// </summary>
/// <remarks>
/// On a cluster of its own (the suite's shared one runs on loopback), in the suite's one collection so it never runs
/// beside the other fault tests on the two cores.
/// </remarks>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Collection(FaultClusterCollection.Name)]
public sealed class PartitionTests(FaultClusterOnFabric fabric, ITestOutputHelper output) : IClassFixture<FaultClusterOnFabric>
{
    // Past Orleans' 24 s liveness window, so that it acts on a partition rather than waiting it out.
    private static readonly TimeSpan PartitionLength = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(FaultKind.SilosPartitioned)]
    [InlineData(FaultKind.SilosPartitionedOneWay)]
    [InlineData(FaultKind.ClientCutFromGateway)]
    public async Task Partition_For30Seconds_ThenHealed_LosesNoAcknowledgedWrite_AndTheStoresConverge(FaultKind partition)
    {
        var seen = fabric.Cluster.Timeline.Count;
        var restartsBefore = fabric.Cluster.RestartsAfterDeclaredDead;
        await new FaultScenario(fabric.Cluster, output) { FaultLength = PartitionLength }.RunAsync(partition);
        // What Orleans did about it, for the notes: which silo was declared dead, and when.
        output.WriteLine($"{partition}: {string.Join("; ", fabric.Cluster.Timeline.Skip(seen))}");

        // Two silos that cannot hear each other: one vote declares the other dead, and only one of them may go (the
        // survivor serves every memory). A client cut off from one silo costs no silo: the silos still hear each other.
        // That a silo went also shows the cut was real, not a no-op that would let the scenario pass untested.
        var restarts = fabric.Cluster.RestartsAfterDeclaredDead - restartsBefore;
        Assert.Equal(partition == FaultKind.ClientCutFromGateway ? 0 : 1, restarts);
    }
}
