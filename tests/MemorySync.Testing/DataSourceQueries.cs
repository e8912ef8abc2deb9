using Npgsql;

namespace MemorySync.Testing;

/// <summary>One-line reads a test makes of a database directly.</summary>
internal static class DataSourceQueries
{
    /// <summary>The first column of the first row of <paramref name="sql"/> (default for none or NULL).</summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
