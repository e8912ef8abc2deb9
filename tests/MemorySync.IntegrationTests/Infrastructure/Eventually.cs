namespace MemorySync.IntegrationTests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes, then fails saying what was still not true.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"after {deadline.TotalSeconds:F0} s, still not {what}; last value: {last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
