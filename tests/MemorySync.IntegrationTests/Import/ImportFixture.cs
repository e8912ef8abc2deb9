using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;
using Npgsql;

namespace MemorySync.IntegrationTests.Import;

/// <summary>A real silo process on a PostgreSQL server of the fixture's own, which tests restart under an import.</summary>
public sealed class ImportFixture : RunningSiloFixture
{
    internal OwnPostgresServer Postgres { get; } = new();

    protected override string? PostgresConnectionString => Postgres.ConnectionString;

    public override async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>Per memory id with the prefix, the versions PostgreSQL's history holds.</summary>
    public async Task<Dictionary<string, List<long>>> VersionsAsync(string prefix)
    {
        // Unpooled: the tests restart the server, and a pooled connection would have died with the old one.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT memory_id, version FROM memory_versions WHERE memory_id LIKE @prefix ORDER BY version", connection);
        command.Parameters.AddWithValue("prefix", prefix + "%");
        var versions = new Dictionary<string, List<long>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            (versions.TryGetValue(id, out var list) ? list : versions[id] = []).Add(reader.GetInt64(1));
        }

        return versions;
    }
}
