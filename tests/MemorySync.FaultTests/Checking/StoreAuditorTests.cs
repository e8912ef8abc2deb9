using MemorySync.FaultTests.Load;
using MemorySync.Testing;

namespace MemorySync.FaultTests.Checking;

/// <summary>The checker itself, on stores made up in memory: it passes agreeing stores and catches each kind of damage.</summary>
public sealed class StoreAuditorTests
{
    // Memory "a" written twice (v1 by an upsert, v2 by a batch), memory "b" written then deleted (v1, v2 tombstone).
    private static readonly StoreSnapshot Agreeing = new(
        Memories: new Dictionary<string, StoreSnapshot.Row>
        {
            ["a"] = new(2, "sum-a2", Deleted: false, Label: 1),
            ["b"] = new(2, "sum-b2", Deleted: true, Label: 2),
        },
        History:
        [
            new("a", 1, "a one", Deleted: false),
            new("a", 2, "a two", Deleted: false),
            new("b", 1, "b one", Deleted: false),
            new("b", 2, "b one", Deleted: true),
        ],
        Redis: new Dictionary<string, StoreSnapshot.RedisCopy> { ["a"] = new("2", "sum-a2") },
        Index: [new IndexedMemory("a", 1, 2)],
        IndexVectors: 1,
        Transactions: 4,
        PendingTransactions: 0,
        OutboxRows: 8,
        PendingOutbox: 0,
        DeadOutbox: 0);

    private static readonly LedgerEntry[] Ledger =
    [
        new("a", "a one", 1, Acknowledged: true),
        new("a", "a two", Version: null, Acknowledged: true),
        new("b", "b one", 1, Acknowledged: true),
        new("b", Content: null, 2, Acknowledged: true),
        new("b", "b never", Version: null, Acknowledged: false),
    ];

    [Fact]
    public void AgreeingStores_AreClean()
    {
        var report = StoreAuditor.Audit(Agreeing, Ledger);

        Assert.True(report.Clean, report.ToString());
    }

    [Fact]
    public void AcknowledgedWriteMissingFromHistory_IsLost()
    {
        var report = StoreAuditor.Audit(Agreeing, [.. Ledger, new LedgerEntry("a", "a three", 3, Acknowledged: true)]);

        Assert.Contains(report.Lost, problem => problem.StartsWith("a: acknowledged \"a three\"", StringComparison.Ordinal));
    }

    [Fact]
    public void BatchWriteMissingFromHistory_IsLost()
    {
        var report = StoreAuditor.Audit(Agreeing, [.. Ledger, new LedgerEntry("a", "a batched", Version: null, Acknowledged: true)]);

        Assert.Single(report.Lost);
    }

    [Fact]
    public void CurrentVersionOlderThanAnAcknowledgedOne_IsLost()
    {
        var rolledBack = Agreeing with
        {
            Memories = new Dictionary<string, StoreSnapshot.Row>(Agreeing.Memories) { ["a"] = new(1, "sum-a1", Deleted: false, Label: 1) },
        };

        var report = StoreAuditor.Audit(rolledBack, Ledger);

        Assert.Contains("a: acknowledged v2, PostgreSQL holds v1", report.Lost);
    }

    [Fact]
    public void RefusedWriteThatWasStoredAnyway_IsDivergent()
    {
        var refused = new LedgerEntry("a", "a two", Version: null, Acknowledged: false, Refused: true);

        var report = StoreAuditor.Audit(Agreeing, [.. Ledger.Where(entry => entry.Content != "a two"), refused]);

        Assert.Contains("a: refused write \"a two\" stored as v2", report.Divergent);
    }

    [Fact]
    public void RefusedWriteThatLeftNoTrace_IsClean()
    {
        var report = StoreAuditor.Audit(Agreeing, [.. Ledger, new LedgerEntry("a", "a refused", Version: null, Acknowledged: false, Refused: true)]);

        Assert.True(report.Clean, report.ToString());
    }

    [Fact]
    public void VersionStampedMinutesAheadOfItsCommit_IsDivergent()
    {
        var stamped = Agreeing with { History = [.. Agreeing.History.Select(row => row.Version == 2 && row.MemoryId == "a" ? row with { StampAheadSeconds = 600 } : row)] };

        var report = StoreAuditor.Audit(stamped, Ledger);

        Assert.Contains("a v2: stamped 600 s ahead of its commit in PostgreSQL", report.Divergent);
    }

    [Fact]
    public void UnacknowledgedWriteThatHappened_IsNeitherLostNorDivergent()
    {
        var landed = Agreeing with
        {
            Memories = new Dictionary<string, StoreSnapshot.Row>(Agreeing.Memories) { ["b"] = new(3, "sum-b3", Deleted: false, Label: 2) },
            History = [.. Agreeing.History, new StoreSnapshot.HistoryRow("b", 3, "b never", Deleted: false)],
            Redis = new Dictionary<string, StoreSnapshot.RedisCopy>(Agreeing.Redis) { ["b"] = new("3", "sum-b3") },
            Index = [.. Agreeing.Index, new IndexedMemory("b", 2, 3)],
            IndexVectors = 2,
        };

        var report = StoreAuditor.Audit(landed, Ledger);

        Assert.True(report.Clean, report.ToString());
    }

    public static TheoryData<string, string> Damage => new()
    {
        { "deleted memory still in Redis", "b: deleted at v2, Redis still holds v2" },
        { "Redis behind PostgreSQL", "a: PostgreSQL v2, Redis v1" },
        { "Redis copy unknown to PostgreSQL", "z: in Redis, unknown to PostgreSQL" },
        { "two vectors for one memory", "a: PostgreSQL v2, index [label 1 v2,label 7 v2]" },
        { "deleted memory still indexed", "b: PostgreSQL v2 deleted, index [label 2 v1]" },
        { "gap in the history", "a: current v2, history holds [2]" },
        { "content no write sent", "a v2: content \"forged\" that no write sent" },
        { "transaction left pending", "1 sync_transactions still pending" },
        { "outbox row dead", "outbox: 0 rows pending, 1 dead" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void DamagedStores_AreDivergent_SayingWhere(string damage, string expected)
    {
        var report = StoreAuditor.Audit(Damaged(damage), Ledger);

        Assert.Contains(report.Divergent, problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }

    private static StoreSnapshot Damaged(string damage) => damage switch
    {
        "deleted memory still in Redis" => Agreeing with { Redis = new Dictionary<string, StoreSnapshot.RedisCopy>(Agreeing.Redis) { ["b"] = new("2", "sum-b2") } },
        "Redis behind PostgreSQL" => Agreeing with { Redis = new Dictionary<string, StoreSnapshot.RedisCopy> { ["a"] = new("1", "sum-a1") } },
        "Redis copy unknown to PostgreSQL" => Agreeing with { Redis = new Dictionary<string, StoreSnapshot.RedisCopy>(Agreeing.Redis) { ["z"] = new("1", "sum-z1") } },
        "two vectors for one memory" => Agreeing with { Index = [.. Agreeing.Index, new IndexedMemory("a", 7, 2)], IndexVectors = 2 },
        "deleted memory still indexed" => Agreeing with { Index = [.. Agreeing.Index, new IndexedMemory("b", 2, 1)], IndexVectors = 2 },
        "gap in the history" => Agreeing with { History = [.. Agreeing.History.Where(row => row is not { MemoryId: "a", Version: 1 })] },
        "content no write sent" => Agreeing with
        {
            History = [.. Agreeing.History.Select(row => row is { MemoryId: "a", Version: 2 } ? row with { Content = "forged" } : row)],
        },
        "transaction left pending" => Agreeing with { PendingTransactions = 1 },
        "outbox row dead" => Agreeing with { DeadOutbox = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, "no such damage"),
    };
}
