using MemorySync.Configuration;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Stores;

/// <summary>
/// The start-up check: is each store there at all? A silo that cannot reach PostgreSQL or Redis says which one and
/// where it looked, instead of failing later inside Orleans with a less helpful message.
/// </summary>
public static class StoreReachability
{
    /// <summary>Returns one message per unreachable store (empty when both answered).</summary>
    public static async Task<IReadOnlyList<string>> FindUnreachableAsync(
        PostgresOptions postgres, RedisOptions redis, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var postgresProblem = await ProbePostgresAsync(postgres, timeout, cancellationToken).ConfigureAwait(false);
        if (postgresProblem is not null)
        {
            problems.Add(postgresProblem);
        }

        var redisProblem = await ProbeRedisAsync(redis, timeout).ConfigureAwait(false);
        if (redisProblem is not null)
        {
            problems.Add(redisProblem);
        }

        return problems;
    }

    private static async Task<string?> ProbePostgresAsync(PostgresOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var where = StoreEndpoints.DescribePostgres(options.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Timeout = Math.Max(1, (int)timeout.TotalSeconds),
            Pooling = false,
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"PostgreSQL is not reachable at {where}: {Describe(exception)}";
        }
    }

    private static async Task<string?> ProbeRedisAsync(RedisOptions options, TimeSpan timeout)
    {
        var where = StoreEndpoints.DescribeRedis(options.ConnectionString);
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        configuration.AbortOnConnectFail = true;
        configuration.ConnectTimeout = (int)timeout.TotalMilliseconds;
        configuration.ConnectRetry = 1;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            await connection.GetDatabase().PingAsync().ConfigureAwait(false);
            return null;
        }
        catch (RedisConnectionException exception)
        {
            // Its own message advises abortConnect=false, which is no help to someone whose Redis is not running.
            return $"Redis is not reachable at {where}: no connection within {timeout.TotalSeconds:F0} s ({exception.FailureType})";
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return $"Redis is not reachable at {where}: {Describe(exception)}";
        }
    }

    // The first line of the innermost useful message; connection strings never appear in these.
    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var message = innermost.Message;
        var lineEnd = message.IndexOfAny(['\r', '\n']);
        return lineEnd < 0 ? message : message[..lineEnd];
    }
}
