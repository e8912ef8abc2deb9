using MemorySync.Testing;
using Orleans.Core.Internal;

namespace MemorySync.IntegrationTests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PersistenceAndReminderTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GrainState_SurvivesDeactivation_BecauseItIsReadBackFromPostgres()
    {
        var key = $"state-{Guid.NewGuid():N}";
        var grain = fixture.Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
        await grain.SetAsync(42);
        var firstActivation = await grain.ActivationTagAsync();

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.ReturnsAsync(grain.ActivationTagAsync, tag => tag != firstActivation, Deadline, "reactivated");

        Assert.Equal(42, await grain.GetAsync());
        var rows = await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM orleans_grain_state WHERE grain_id_extension = '{key}' AND payload_binary IS NOT NULL");
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task Reminder_Fires_AndIsKeptInPostgres()
    {
        var key = $"reminder-{Guid.NewGuid():N}";
        var grain = fixture.Cluster.GrainFactory.GetGrain<IReminderProbeGrain>(key);

        await grain.StartAsync(TimeSpan.FromSeconds(1));
        try
        {
            await Eventually.ReturnsAsync(grain.TicksAsync, ticks => ticks >= 2, Deadline, "ticked twice");
            var reminderRows = await fixture.ScalarAsync<long>(
                $"SELECT count(*) FROM orleans_reminder WHERE grain_id LIKE '%{key}%'");
            Assert.Equal(1, reminderRows);
        }
        finally
        {
            await grain.StopAsync();
        }
    }

    [Fact]
    public async Task TwoSilos_JoinThroughRedisMembership()
    {
        var hosts = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task HealthGrain_ReportsEveryStoreHealthy()
    {
        var report = await fixture.Cluster.GrainFactory.GetGrain<IHealthGrain>(0).CheckAsync();

        Assert.Equal(["redis", "postgres", "faiss"], report.Stores.Select(store => store.Store));
        Assert.All(report.Stores, store => Assert.True(store.State != StoreState.Unhealthy, $"{store.Store}: {store.Detail}"));
    }
}
