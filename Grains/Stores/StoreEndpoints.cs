using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>Where a connection string points, for messages and logs: host, port and names, never the password.</summary>
public static class StoreEndpoints
{
    public static string DescribePostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port} (database {builder.Database}, user {builder.Username})";
    }

    public static string DescribeRedis(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        return string.Join(", ", options.EndPoints.Select(endpoint => endpoint.ToString()));
    }
}
