using MemorySync.Outbox;

namespace MemorySync.UnitTests.Outbox;

/// <summary>When dead letters get another life: the drainer's outage judgment and the recoveries it and the probes record.</summary>
public sealed class DeadLetterRecoveryTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Judge_APassWhereSeveralMemoriesFailedAndNoneSucceeded_IsAnOutage_AndTheNextSuccessARecovery()
    {
        var judge = new DrainOutageJudge();

        Assert.False(judge.Recovered("redis", failedMemories: 5, succeededRows: 0));
        Assert.False(judge.Recovered("redis", failedMemories: 3, succeededRows: 0));
        Assert.True(judge.Recovered("redis", failedMemories: 1, succeededRows: 1));
        Assert.False(judge.Recovered("redis", failedMemories: 0, succeededRows: 4));
    }

    [Fact]
    public void Judge_OneMemoryThatKeepsFailing_IsNoOutage_SoOthersSucceedingIsNoRecovery()
    {
        var judge = new DrainOutageJudge();

        for (var pass = 0; pass < 10; pass++)
        {
            Assert.False(judge.Recovered("redis", failedMemories: 1, succeededRows: 0));
            Assert.False(judge.Recovered("redis", failedMemories: 1, succeededRows: 3));
        }
    }

    [Fact]
    public void Judge_KeepsEachStoreApart()
    {
        var judge = new DrainOutageJudge();

        Assert.False(judge.Recovered("faiss", failedMemories: 2, succeededRows: 0));
        Assert.False(judge.Recovered("redis", failedMemories: 0, succeededRows: 1));
        Assert.True(judge.Recovered("faiss", failedMemories: 0, succeededRows: 1));
    }

    [Fact]
    public void Recoveries_PostgresComingBack_IsDueForBothSecondaryStores()
    {
        var recoveries = new StoreRecoveries();

        recoveries.Recovered("postgres", Noon);

        Assert.Equal(new[] { ("faiss", Noon), ("redis", Noon) }, recoveries.Due().OrderBy(due => due.Store, StringComparer.Ordinal));
    }

    [Fact]
    public void Recoveries_ALaterRecovery_CoversAnEarlierOne_AndStaysDueWhenTheEarlierIsDone()
    {
        var recoveries = new StoreRecoveries();
        recoveries.Recovered("redis", Noon);
        var earlier = Assert.Single(recoveries.Due());

        recoveries.Recovered("redis", Noon.AddMinutes(5));
        recoveries.Recovered("redis", Noon.AddMinutes(1));
        recoveries.Done("redis", earlier.RecoveredAt);

        Assert.Equal(new[] { ("redis", Noon.AddMinutes(5)) }, recoveries.Due());
        recoveries.Done("redis", Noon.AddMinutes(5));
        Assert.Empty(recoveries.Due());
    }
}
