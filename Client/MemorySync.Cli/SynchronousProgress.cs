namespace MemorySync.Cli;

/// <summary>An IProgress that reports on the caller's thread at once (Progress&lt;T&gt; posts, and would draw out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
