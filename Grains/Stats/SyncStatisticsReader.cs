using MemorySync.Stores;
using Npgsql;

namespace MemorySync.Stats;

/// <summary>Reads get_sync_statistics() (sql/0001), so the numbers are the database's own.</summary>
internal static class SyncStatisticsReader
{
    public static async Task<SyncStatistics> ReadAsync(NpgsqlDataSource postgres, PostgresConnectionRecovery recovery,
        CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("SELECT * FROM get_sync_statistics()");
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SyncStatistics(
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetDouble(9),
            reader.GetInt64(10), reader.GetInt64(11));
    }
}
