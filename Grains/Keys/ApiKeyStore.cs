using MemorySync.Stores;
using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Keys;

/// <summary>The <c>api_keys</c> table (sql/0005).</summary>
internal sealed class ApiKeyStore(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery)
{
    private const string Columns = "key_id, secret_hash, agents, scope, created_at, expires_at, revoked_at, requests_per_second";

    public async Task<DateTimeOffset> InsertAsync(string keyId, byte[] secretHash, ApiKeyRequest request)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO api_keys (key_id, secret_hash, agents, scope, expires_at, requests_per_second)
            VALUES (@id, @hash, @agents, @scope, @expires, @rate) RETURNING created_at
            """);
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("hash", secretHash);
        command.Parameters.AddWithValue("agents", request.Agents.ToArray());
        command.Parameters.AddWithValue("scope", ApiScopes.Name(request.Scope));
        command.Parameters.Add(new NpgsqlParameter("expires", NpgsqlDbType.TimestampTz) { Value = (object?)request.ExpiresAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("rate", NpgsqlDbType.Integer) { Value = (object?)request.RequestsPerSecond ?? DBNull.Value });
        return (DateTimeOffset)(DateTime)(await recovery.RunAsync(command.ExecuteScalarAsync, PostgresRetry.OnlyIfNotSent).ConfigureAwait(false))!;
    }

    public async Task<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE key_id = @id");
        command.Parameters.AddWithValue("id", keyId);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync()
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys ORDER BY created_at, key_id");
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable).ConfigureAwait(false);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string keyId)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = @id");
        command.Parameters.AddWithValue("id", keyId);
        return await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable).ConfigureAwait(false) == 1;
    }

    private static StoredApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (byte[])reader[1],
        reader.GetFieldValue<string[]>(2),
        ApiScopes.Parse(reader.GetString(3)) ?? ApiScope.Read,
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7));
}
