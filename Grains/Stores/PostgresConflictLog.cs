using Npgsql;
using NpgsqlTypes;

namespace MemorySync.Stores;

/// <summary>
/// conflict_resolutions in PostgreSQL: how each conflict between writes was handled, and the ones left open for an
/// operator.
/// </summary>
internal sealed class PostgresConflictLog(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery) : IConflictLog
{
    public Task RecordConflictAsync(ConflictEntry entry, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => RecordConflictCoreAsync(entry, cancellationToken));

    private async Task RecordConflictCoreAsync(ConflictEntry entry, CancellationToken cancellationToken)
    {
        // An open (Manual) conflict also flags the memory, in the same statement, so reads say so at once.
        await using var command = dataSource.CreateCommand("""
            WITH recorded AS (
                INSERT INTO conflict_resolutions (memory_id, strategy, status, current_version, incoming_version,
                    current_data, incoming_data, resolved_data, reason, resolved_at)
                VALUES (@memory_id, @strategy, @status, @current_version, @incoming_version, @current_data, @incoming_data,
                    @resolved_data, @reason, CASE WHEN @status = 'resolved' THEN now() END)
                RETURNING conflict_id
            )
            UPDATE episodic_memory SET conflicted = true
            WHERE memory_id = @memory_id AND @status = 'open' AND EXISTS (SELECT 1 FROM recorded)
            """);
        var parameters = command.Parameters;
        parameters.AddWithValue("memory_id", entry.MemoryId);
        parameters.AddWithValue("strategy", entry.Strategy);
        parameters.AddWithValue("status", entry.Status);
        parameters.AddWithValue("current_version", NpgsqlDbType.Bigint, (object?)entry.CurrentVersion ?? DBNull.Value);
        parameters.AddWithValue("incoming_version", NpgsqlDbType.Bigint, (object?)entry.IncomingVersion ?? DBNull.Value);
        parameters.AddWithValue("current_data", NpgsqlDbType.Jsonb, (object?)entry.CurrentJson ?? DBNull.Value);
        parameters.AddWithValue("incoming_data", NpgsqlDbType.Jsonb, (object?)entry.IncomingJson ?? DBNull.Value);
        parameters.AddWithValue("resolved_data", NpgsqlDbType.Jsonb, (object?)entry.ResolvedJson ?? DBNull.Value);
        parameters.AddWithValue("reason", entry.Reason);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.OnlyIfNotSent, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ConflictInfo>> OpenConflictsAsync(string? memoryId, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => OpenConflictsCoreAsync(memoryId, cancellationToken));

    private async Task<IReadOnlyList<ConflictInfo>> OpenConflictsCoreAsync(string? memoryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT conflict_id, memory_id, strategy, status, current_version, incoming_version, current_data::text,
                   incoming_data::text, reason, created_at
            FROM conflict_resolutions
            WHERE status = 'open' AND (@memory_id::text IS NULL OR memory_id = @memory_id)
            ORDER BY conflict_id
            """);
        command.Parameters.AddWithValue("memory_id", NpgsqlDbType.Text, (object?)memoryId ?? DBNull.Value);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var conflicts = new List<ConflictInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            conflicts.Add(new ConflictInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return conflicts;
    }

    public Task ResolveConflictsAsync(string memoryId, string resolvedJson, string reason, CancellationToken cancellationToken = default) =>
        PostgresUnavailable.GuardAsync(() => ResolveConflictsCoreAsync(memoryId, resolvedJson, reason, cancellationToken));

    private async Task ResolveConflictsCoreAsync(string memoryId, string resolvedJson, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE conflict_resolutions
            SET status = 'resolved', resolved_data = @resolved_data, resolved_at = now(), reason = reason || '; ' || @reason
            WHERE memory_id = @memory_id AND status = 'open'
            """);
        command.Parameters.AddWithValue("memory_id", memoryId);
        command.Parameters.AddWithValue("resolved_data", NpgsqlDbType.Jsonb, resolvedJson);
        command.Parameters.AddWithValue("reason", reason);
        await recovery.RunAsync(command.ExecuteNonQueryAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
    }
}
