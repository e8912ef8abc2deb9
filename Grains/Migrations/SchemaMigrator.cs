using Microsoft.Extensions.Logging;
using Npgsql;

namespace MemorySync.Migrations;

/// <summary>
/// Applies the embedded migrations that a database has not seen yet, in one transaction, and records each in
/// <c>schema_migrations</c>. Safe to run from several silos at once: an advisory lock lets one of them do the work
/// while the others wait and then find nothing left to do.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // An arbitrary constant that names "MemorySync schema migration" among advisory locks.
    private const long MigrationLockKey = 0x4D656D53796E63;

    private const string CreateLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>Applies what is missing and returns the names of the migrations it applied (empty when up to date).</summary>
    /// <exception cref="MigrationDriftException">An applied migration's script has changed since.</exception>
    public Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken = default) =>
        ApplyAsync(MigrationCatalog.All, cancellationToken);

    public async Task<IReadOnlyList<string>> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, CreateLedger, cancellationToken).ConfigureAwait(false);

        var applied = await ReadLedgerAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var newlyApplied = new List<string>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                {
                    throw new MigrationDriftException(migration.Name);
                }

                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await RecordAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
            newlyApplied.Add(migration.Name);
            MigrationLog.Applied(logger, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (newlyApplied.Count == 0)
        {
            MigrationLog.UpToDate(logger, migrations.Count);
        }

        return newlyApplied;
    }

    private static async Task<Dictionary<int, string>> ReadLedgerAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction);
        command.Parameters.AddWithValue("version", migration.Version);
        command.Parameters.AddWithValue("name", migration.Name);
        command.Parameters.AddWithValue("checksum", migration.Checksum);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
