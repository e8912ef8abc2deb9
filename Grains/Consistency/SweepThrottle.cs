using System.Diagnostics;

namespace MemorySync.Consistency;

/// <summary>Keeps a sweep at or below a number of memories per second by waiting after each step that got ahead.</summary>
internal sealed class SweepThrottle(int memoriesPerSecond)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _memories;

    public Task WaitAsync(long memories, CancellationToken cancellationToken)
    {
        _memories += memories;
        var due = TimeSpan.FromSeconds((double)_memories / memoriesPerSecond) - Stopwatch.GetElapsedTime(_started);
        return due > TimeSpan.Zero ? Task.Delay(due, cancellationToken) : Task.CompletedTask;
    }
}
