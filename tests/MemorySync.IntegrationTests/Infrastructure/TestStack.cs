using Npgsql;

namespace MemorySync.IntegrationTests.Infrastructure;

/// <summary>The real Redis and PostgreSQL that ./test.sh starts (scripts/stack.sh, instance "test").</summary>
internal static class TestStack
{
    public static string PostgresConnectionString => Require("MEMSYNC_Postgres__ConnectionString");

    public static string RedisConnectionString => Require("MEMSYNC_Redis__ConnectionString");

    /// <summary>The same server and credentials, another database.</summary>
    public static string PostgresConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = database }.ConnectionString;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: integration tests use the real servers that ./test.sh starts " +
                "(or run scripts/stack.sh start --instance test and source .stack/test/env)");
}
