using MemorySync.FaultTests.Cluster;
using MemorySync.FaultTests.Scenarios;
using MemorySync.Testing;

namespace MemorySync.FaultTests;

/// <summary>
/// The long form (./test.sh --soak): every fault, on its own and combined, again and again with longer outages and
/// more load around each, until the writers have held at least ten minutes of load; no round may lose a write.
/// </summary>
/// <remarks>
/// It runs on a cluster of its own: the soak leaves thousands of memories behind, and every later scenario's checker
/// (which audits every memory) and every refill after a Redis flush would pay for them. In the suite's one collection,
/// so it never runs beside the other fault tests on the two cores.
/// </remarks>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.Soak)]
[Collection(FaultClusterCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LoadToHold = TimeSpan.FromMinutes(10);

    private static readonly FaultKind[][] Rounds =
    [
        // The soak's cluster runs on loopback with no guest silo; the partitions have a cluster of their own
        // (PartitionTests), the clock steps a guest silo started before the workload (FaultScenarioTests).
        .. Enum.GetValues<FaultKind>().Where(fault => !FaultInjector.NeedsNetworkFabric(fault) && !FaultInjector.NeedsGuestSilo(fault))
            .Select(fault => new[] { fault }),
        [FaultKind.RedisPaused, FaultKind.SiloKilled],
        [FaultKind.PostgresPaused, FaultKind.RedisPaused],
        [FaultKind.PostgresRestarted, FaultKind.RedisFlushed],
        [FaultKind.PostgresRestarted, FaultKind.RedisRestarted, FaultKind.SiloKilled],
    ];

    [SoakFact]
    public async Task EveryFault_RepeatedForTenMinutesOfLoad_LosesNoAcknowledgedWrite_AndTheStoresConverge()
    {
        await using var cluster = new FaultCluster();
        await cluster.InitializeAsync();
        var scenario = new FaultScenario(cluster, output) { Ids = 200, WritesAroundFault = 300, FaultLength = TimeSpan.FromSeconds(15) };
        var held = TimeSpan.Zero;
        var acknowledged = 0;
        while (held < LoadToHold)
        {
            foreach (var faults in Rounds)
            {
                var record = await scenario.RunAsync(faults);
                held += TimeSpan.FromSeconds(record.LoadSeconds);
                acknowledged += record.Acknowledged;
            }
        }

        output.WriteLine($"soak: {held.TotalMinutes:F1} min of load, {acknowledged} acknowledged writes, none lost");
    }
}
