namespace MemorySync.Silo.Status;

/// <summary>
/// One value read at most once per window. Requests that arrive while it is being read wait for that same read, so
/// a burst at an expired window costs one read, not one per request.
/// </summary>
internal sealed class CachedReading<T>(Func<Task<T>> read, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<T>? _current;
    private DateTimeOffset _readAt;

    public Task<T> GetAsync()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            // A read that failed is not kept: the next request tries again.
            if (_current is null || _current.IsFaulted || _current.IsCanceled || (_current.IsCompleted && now - _readAt >= window))
            {
                _readAt = now;
                _current = read();
            }

            return _current;
        }
    }
}
