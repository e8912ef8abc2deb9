using MemorySync.FaultTests.Cluster;
using MemorySync.FaultTests.Scenarios;

namespace MemorySync.FaultTests;

/// <summary>
/// The short form: each fault once on its own, then several at once, under a few seconds of load. Every acknowledged
/// write survives and the three stores converge by themselves once the faults end.
/// </summary>
public sealed class FaultScenarioTests(FaultCluster cluster, ITestOutputHelper output) : IClassFixture<FaultCluster>
{
    [Theory]
    [InlineData(FaultKind.RedisRestarted)]
    [InlineData(FaultKind.RedisFlushed)]
    [InlineData(FaultKind.RedisPaused)]
    [InlineData(FaultKind.PostgresRestarted)]
    [InlineData(FaultKind.SiloKilled)]
    [InlineData(FaultKind.SnapshotDeleted)]
    public async Task Fault_UnderLoad_LosesNoAcknowledgedWrite_AndTheStoresConverge(FaultKind fault)
    {
        var record = await new FaultScenario(cluster, output).RunAsync(fault);

        Assert.True(record.Acknowledged > 0, "the workload wrote nothing");
    }

    [Fact]
    public async Task RedisAndPostgresDown_WhileASiloIsKilled_LosesNoAcknowledgedWrite_AndTheStoresConverge()
    {
        var record = await new FaultScenario(cluster, output).RunAsync(FaultKind.PostgresRestarted, FaultKind.RedisRestarted, FaultKind.SiloKilled);

        Assert.True(record.Acknowledged > 0, "the workload wrote nothing");
    }
}
