using Npgsql;

namespace MemorySync.Testing;

/// <summary>
/// A fresh, empty PostgreSQL database on the test server, dropped on dispose, so tests never share schema. The tests'
/// administrator role creates and drops it (the application role may do neither); the application role owns it, as
/// it owns the stack's own database.
/// </summary>
internal sealed class ThrowawayDatabase : IAsyncDisposable
{
    private ThrowawayDatabase(string name)
    {
        Name = name;
        ConnectionString = TestStack.PostgresConnectionStringFor(name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ThrowawayDatabase> CreateAsync()
    {
        var name = $"memsync_test_{Guid.NewGuid():N}";
        await using var admin = NpgsqlDataSource.Create(TestStack.PostgresAdminConnectionString);
        await using var command = admin.CreateCommand($"CREATE DATABASE {name} OWNER {TestStack.ApplicationRole}");
        await command.ExecuteNonQueryAsync();
        return new ThrowawayDatabase(name);
    }

    public Task<T?> ScalarAsync<T>(string sql) => DataSource.ScalarAsync<T>(sql);

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(TestStack.PostgresAdminConnectionString);
        await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // A background process of the server itself still uses it; the whole test server is thrown away after the run.
        }
    }
}
