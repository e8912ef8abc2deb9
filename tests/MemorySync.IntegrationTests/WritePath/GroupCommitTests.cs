using MemorySync.Configuration;
using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.IntegrationTests.WritePath;

/// <summary>
/// Group commit on the real server: statements queued together share transactions, each caller gets its own
/// statement's result, and a statement PostgreSQL refuses fails alone while the rest of its group commits.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task ConcurrentStatements_ShareTransactions_AndEachGetsItsOwnResult()
    {
        await using var database = await CreateDatabaseAsync();
        await using var groupCommit = CreateGroupCommit(database, connections: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            groupCommit.ExecuteScalarAsync(Insert(i, "INSERT INTO written (id) VALUES (@id) RETURNING id * 10"), durable: i % 2 == 0)));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10), results.Select(Convert.ToInt32));
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(*) FROM written"));
        var transactions = await database.ScalarAsync<long>("SELECT count(DISTINCT xid) FROM written");
        Assert.InRange(transactions, 1, 199);
    }

    [Fact]
    public async Task RefusedStatement_FailsAlone_AndTheRestOfItsGroupCommits()
    {
        await using var database = await CreateDatabaseAsync();
        await using var groupCommit = CreateGroupCommit(database, connections: 1);

        var writes = Enumerable.Range(0, 50).Select(i => groupCommit.ExecuteScalarAsync(
            Insert(i, i == 25 ? "INSERT INTO written (id) VALUES (@id / 0) RETURNING id" : "INSERT INTO written (id) VALUES (@id) RETURNING id"))).ToList();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => writes[25]);
        Assert.Equal(PostgresErrorCodes.DivisionByZero, refused.SqlState);
        foreach (var write in writes.Where((_, i) => i != 25))
        {
            await write;
        }

        Assert.Equal(49L, await database.ScalarAsync<long>("SELECT count(*) FROM written"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM written WHERE id = 25"));
    }

    // Backpressure: with PostgreSQL stalled, the queue holds GroupCommitMaxQueued writes and no more; the next writer
    // waits CommandTimeoutSeconds for room, then hears a retryable TimeoutException naming the setting, and its
    // statement never runs, while every write that was queued commits once PostgreSQL moves again.
    [Fact]
    public async Task FullQueue_RefusesTheNextWrite_AfterTheCommandTimeout_NamingTheSetting_AndNeverRunsIt()
    {
        await using var database = await CreateDatabaseAsync();
        await using var groupCommit = new PostgresGroupCommit(database.DataSource, Options.Create(new PostgresOptions
        {
            GroupCommitConnections = 1,
            GroupCommitMaxStatements = 1,
            GroupCommitMaxQueued = 2,
            CommandTimeoutSeconds = 1,
        }), new PostgresConnectionRecovery(database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance));

        // The one committer is held in a statement that waits on a row lock this test holds.
        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("INSERT INTO written (id) VALUES (0)", blocker, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var stalled = groupCommit.ExecuteScalarAsync(Insert(0, "INSERT INTO written (id) VALUES (@id) ON CONFLICT (id) DO NOTHING RETURNING id"));
        await Eventually.ReturnsAsync(() => database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"), waiting => waiting > 0,
            TimeSpan.FromSeconds(30), "the committer waiting on the test's row lock");
        var queued = new[] { 1, 2 }.Select(i => groupCommit.ExecuteScalarAsync(Insert(i, "INSERT INTO written (id) VALUES (@id) RETURNING id"))).ToList();

        var refused = await Assert.ThrowsAsync<TimeoutException>(() => groupCommit.ExecuteScalarAsync(Insert(3, "INSERT INTO written (id) VALUES (@id) RETURNING id")));
        Assert.Contains("Postgres:GroupCommitMaxQueued", refused.Message, StringComparison.Ordinal);
        Assert.Contains("retry", refused.Message, StringComparison.Ordinal);

        await transaction.CommitAsync();
        await stalled;
        Assert.Equal([1, 2], (await Task.WhenAll(queued)).Select(Convert.ToInt32));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM written"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM written WHERE id = 3"));
    }

    private static async Task<ThrowawayDatabase> CreateDatabaseAsync()
    {
        var database = await ThrowawayDatabase.CreateAsync();
        await using var command = database.DataSource.CreateCommand(
            "CREATE TABLE written (id integer PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id())");
        await command.ExecuteNonQueryAsync();
        return database;
    }

    private static PostgresGroupCommit CreateGroupCommit(ThrowawayDatabase database, int connections) =>
        new(database.DataSource, Options.Create(new PostgresOptions { GroupCommitConnections = connections, GroupCommitMaxStatements = 128 }),
            new PostgresConnectionRecovery(database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance));

    private static NpgsqlBatchCommand Insert(int id, string sql)
    {
        var statement = new NpgsqlBatchCommand(sql);
        statement.Parameters.AddWithValue("id", id);
        return statement;
    }
}
