namespace MemorySync.Index;

/// <summary>An add or remove waiting for the shard's next flush; its caller awaits <see cref="Applied"/>.</summary>
internal sealed class PendingIndexChange(long label, long version, IndexEntry? entry)
{
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Label { get; } = label;

    public long Version { get; } = version;

    /// <summary>The vector to index; null for a removal.</summary>
    public IndexEntry? Entry { get; } = entry;

    public Task Applied => _applied.Task;

    public void Complete() => _applied.TrySetResult();

    public void Fail(Exception exception) => _applied.TrySetException(exception);
}
