using Npgsql;

namespace MemorySync.Testing;

/// <summary>The real Redis and PostgreSQL that ./test.sh starts (scripts/stack.sh, instance "test").</summary>
internal static class TestStack
{
    /// <summary>The application role's login (no CREATEDB, no pg_signal_backend), as the silos get it.</summary>
    public static string PostgresConnectionString => Require("MEMSYNC_Postgres__ConnectionString");

    /// <summary>The silos' Redis login (ACL user memsync-silo: MemorySync's commands on MemorySync's keys).</summary>
    public static string RedisConnectionString => Require("MEMSYNC_Redis__ConnectionString");

    /// <summary>The membership-only Redis login (ACL user memsync-client) that clients and the CLI get.</summary>
    public static string ClientRedisConnectionString => Require("MEMSYNC_Client__RedisConnectionString");

    /// <summary>The stack instance's state folder (.stack/NAME): its secrets, mode 600 each.</summary>
    public static string StateDirectory => Path.Combine(RepoPaths.Root, ".stack", Require("MEMSYNC_STACK_INSTANCE"));

    /// <summary>
    /// The tests' own administrator role (memsync_admin: CREATEDB, member of the application role), which creates and
    /// drops throwaway databases; its password is only in the state folder, never in the environment silos get.
    /// </summary>
    public static string PostgresAdminConnectionString => new NpgsqlConnectionStringBuilder(PostgresConnectionString)
    {
        Username = AdminRole,
        Password = File.ReadAllText(Path.Combine(StateDirectory, "postgres-admin-password")).Trim(),
    }.ConnectionString;

    public const string AdminRole = "memsync_admin";

    /// <summary>The application role, which owns every database the silos use.</summary>
    public static string ApplicationRole => new NpgsqlConnectionStringBuilder(PostgresConnectionString).Username!;

    /// <summary>The same server and credentials, another database.</summary>
    public static string PostgresConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// A Redis key prefix of a test's own. The silos' Redis user may only touch keys that begin with "memsync"
    /// (scripts/stack.sh), so every prefix does.
    /// </summary>
    public static string NewKeyPrefix() => $"memsync-t{Guid.NewGuid():N}"[..20];

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: integration tests use the real servers that ./test.sh starts " +
                "(or run scripts/stack.sh start --instance test and source .stack/test/env)");
}
