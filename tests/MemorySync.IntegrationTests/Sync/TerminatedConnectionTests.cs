using MemorySync.Stores;
using MemorySync.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MemorySync.IntegrationTests.Sync;

/// <summary>
/// Pooled connections whose backends PostgreSQL terminated (pg_terminate_backend, what a restart does to all of them)
/// are never used again: a command that is safe to repeat runs once more on a fresh connection, one that is not fails
/// alone, and the pool is clear for every call after it.
/// </summary>
public sealed class TerminatedConnectionTests
{
    private const int PooledConnections = 10;

    [Fact]
    public async Task TerminatedBackends_AreNotHandedOutAgain_ARepeatableCommandRunsOnAFreshConnection()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var recovery = new PostgresConnectionRecovery(database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance);
        var terminated = await FillPoolAndTerminateItsBackendsAsync(database);

        // One after the other, so each would take an idle pooled connection: not one of them is a terminated backend.
        for (var i = 0; i < PooledConnections * 2; i++)
        {
            await using var command = database.DataSource.CreateCommand("SELECT pg_backend_pid()");
            var pid = (int)(await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.Repeatable))!;
            Assert.DoesNotContain(pid, terminated);
        }
    }

    [Fact]
    public async Task TerminatedBackends_ACommandThatMustNotRunTwiceFailsAlone_AndTheNextCallGetsAFreshConnection()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using (var create = database.DataSource.CreateCommand("CREATE TABLE counted (id serial PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var recovery = new PostgresConnectionRecovery(database.DataSource, NullLogger<PostgresConnectionRecovery>.Instance);
        await FillPoolAndTerminateItsBackendsAsync(database);

        await using (var insert = database.DataSource.CreateCommand("INSERT INTO counted DEFAULT VALUES"))
        {
            // It reached a terminated backend: whether it ran is, in general, unknown, so it is not run a second time.
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => recovery.RunAsync(insert.ExecuteNonQueryAsync, PostgresRetry.OnlyIfNotSent));
            Assert.Equal(PostgresConnectionFailure.OutcomeUnknown, PostgresConnectionFailures.Classify(error));
        }

        // The failure cleared the pool: every call after it, repeatable or not, is served by a live connection.
        for (var i = 0; i < PooledConnections; i++)
        {
            await using var insert = database.DataSource.CreateCommand("INSERT INTO counted DEFAULT VALUES");
            await recovery.RunAsync(insert.ExecuteNonQueryAsync, PostgresRetry.OnlyIfNotSent);
        }

        Assert.Equal(PooledConnections, await database.ScalarAsync<long>("SELECT count(*) FROM counted"));
    }

    // Opens the pool's connections all at once (so they are distinct), returns them idle, then has PostgreSQL terminate
    // their backends; returns the terminated pids.
    private static async Task<HashSet<int>> FillPoolAndTerminateItsBackendsAsync(ThrowawayDatabase database)
    {
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < PooledConnections; i++)
        {
            connections.Add(await database.DataSource.OpenConnectionAsync());
        }

        var pids = connections.Select(connection => connection.ProcessID).ToHashSet();
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        await using var admin = NpgsqlDataSource.Create(TestStack.PostgresAdminConnectionString);
        await using var terminate = admin.CreateCommand("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM unnest(@pids) AS pid");
        terminate.Parameters.AddWithValue("pids", pids.ToArray());
        Assert.Equal((long)PooledConnections, await terminate.ExecuteScalarAsync());
        return pids;
    }
}
