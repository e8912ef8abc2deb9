namespace MemorySync.Testing;

/// <summary>
/// Polls a condition until it holds or a deadline passes, then fails saying what was still not true. A probe that
/// throws a transient connection error (a server the test just restarted, a client still reconnecting, a grain call to a
/// silo the cluster has not yet declared dead) counts as "not yet", and the last such error is attached if the deadline
/// passes.
/// </summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        var last = "(no answer yet)";
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                last = value?.ToString() ?? "null";
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                lastError = exception;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"after {deadline.TotalSeconds:F0} s, still not {what}; last value: {last}", lastError);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static bool IsTransient(Exception exception) =>
        exception is StackExchange.Redis.RedisException or TimeoutException or Npgsql.NpgsqlException or HttpRequestException
            or Orleans.Runtime.OrleansException;
}
