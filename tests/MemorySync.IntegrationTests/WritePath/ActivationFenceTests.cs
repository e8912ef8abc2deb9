using MemorySync.Configuration;
using MemorySync.Migrations;
using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemorySync.IntegrationTests.WritePath;

/// <summary>
/// The fence between two activations of one memory, against a real PostgreSQL: once a newer activation has read the
/// memory, an older one (on a silo frozen or cut off, working through calls it queued before) commits nothing, so the
/// newer one never answers reads with a version PostgreSQL has moved past.
/// </summary>
public sealed class ActivationFenceTests : IAsyncLifetime
{
    private const int StrictIdleSeconds = 2;

    private ThrowawayDatabase _database = null!;
    private PostgresGroupCommit _groupCommit = null!;
    private PostgresEpisodicStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        await new SchemaMigrator(_database.DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        var recovery = new PostgresConnectionRecovery(_database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance);
        _groupCommit = new PostgresGroupCommit(_database.DataSource, Options.Create(new PostgresOptions { GroupCommitConnections = 1 }), recovery);
        _store = new PostgresEpisodicStore(_database.DataSource, _groupCommit, recovery,
            Options.Create(new PostgresOptions { StrictTransactionIdleSeconds = StrictIdleSeconds }));
    }

    public async Task DisposeAsync()
    {
        await _groupCommit.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task OlderActivation_CommitsNothing_OnceANewerOneHasReadTheMemory()
    {
        var older = await _store.ClaimAsync("m-1", epoch: null);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Commit("m-1", version: 1, previous: 0, older.Epoch, "first"))).Status);
        older = await _store.ClaimAsync("m-1", older.Epoch);

        var newer = await _store.ClaimAsync("m-1", epoch: null);
        Assert.True(newer.Epoch > older.Epoch, $"epoch {newer.Epoch} after {older.Epoch}");
        Assert.Equal(1, newer.Memory!.Record.Version);

        // The older activation's write, on top of the very version the newer one read: refused, nothing stored.
        Assert.Equal(CommitStatus.VersionMoved, (await _store.CommitAsync(Commit("m-1", version: 2, previous: 1, older.Epoch, "late"))).Status);
        Assert.Equal(("first", 1L), await StoredAsync("m-1"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM memory_versions WHERE memory_id = 'm-1'"));

        // Reading again, the older one learns it was superseded and does not take the memory back.
        var again = await _store.ClaimAsync("m-1", older.Epoch);
        Assert.True(again.Superseded);
        Assert.False((await _store.ClaimAsync("m-1", newer.Epoch)).Superseded);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Commit("m-1", version: 2, previous: 1, newer.Epoch, "second"))).Status);
        Assert.Equal(("second", 2L), await StoredAsync("m-1"));
    }

    // A strict write holds the memory's row while FAISS and Redis take it. Its silo frozen (or stalled) right there, the
    // transaction would hold the row until the process went away, and the memory's new activation on another silo could
    // not even claim it: PostgreSQL ends the idle transaction after Postgres:StrictTransactionIdleSeconds instead.
    [Fact]
    public async Task StrictWriteLeftOpenByAStalledSilo_FreesTheMemoryAfterItsIdleBound()
    {
        var first = await _store.ClaimAsync("m-3", epoch: null);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Commit("m-3", version: 1, previous: 0, first.Epoch, "first"))).Status);
        var stalled = await _store.BeginCommitAsync(Commit("m-3", version: 2, previous: 1, first.Epoch, "never committed") with { Mode = SyncMode.Strict });
        Assert.NotNull(stalled.Label);

        // The newer activation's claim waits for the row; it gets it once PostgreSQL has ended the stalled transaction.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var newer = await _store.ClaimAsync("m-3", epoch: null).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.InRange(clock.Elapsed.TotalSeconds, StrictIdleSeconds - 0.5, StrictIdleSeconds + 10);
        Assert.Equal(1, newer.Memory!.Record.Version);
        Assert.Equal(("first", 1L), await StoredAsync("m-3"));
        await stalled.DisposeAsync();
    }

    // Neither activation could claim a row that did not exist: the older one creates the memory, then the newer one's
    // first commit fails on the version, its read claims the row, and from then on the older one is fenced out.
    [Fact]
    public async Task MemoryCreatedByTheOlderActivation_IsFencedOnceTheNewerOneReadsIt()
    {
        var older = await _store.ClaimAsync("m-2", epoch: null);
        var newer = await _store.ClaimAsync("m-2", epoch: null);
        Assert.Null(newer.Memory);

        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Commit("m-2", version: 1, previous: 0, older.Epoch, "created late"))).Status);
        Assert.Equal(CommitStatus.VersionMoved, (await _store.CommitAsync(Commit("m-2", version: 1, previous: 0, newer.Epoch, "created"))).Status);
        var read = await _store.ClaimAsync("m-2", newer.Epoch);
        Assert.Equal(1, read.Memory!.Record.Version);

        Assert.Equal(CommitStatus.VersionMoved, (await _store.CommitAsync(Commit("m-2", version: 2, previous: 1, older.Epoch, "late again"))).Status);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Commit("m-2", version: 2, previous: 1, newer.Epoch, "second"))).Status);
        Assert.Equal(("second", 2L), await StoredAsync("m-2"));
    }

    private async Task<(string Content, long Version)> StoredAsync(string memoryId)
    {
        var stored = await _store.LoadAsync(memoryId);
        return (stored!.Record.Content, stored.Record.Version);
    }

    private static MemoryCommit Commit(string memoryId, long version, long previous, long epoch, string content)
    {
        var record = new MemoryRecord(memoryId, "agent", content, MemoryTypes.Episodic, 0.5, "{}", version, $"checksum-{content}",
            DateTimeOffset.UtcNow, new Dictionary<string, long> { ["writer"] = version }, StoreVersions.None with { Postgres = version },
            Deleted: false, EmbeddingModel: null, EmbeddingDimension: null);
        return new MemoryCommit(record, Embedding: null, previous, Guid.NewGuid(), "upsert", "writer", Hlc: version, epoch, TimeSpan.FromSeconds(10));
    }
}
