namespace MemorySync;

/// <summary>One silo process's memory: resident now, the most it has held since it started, and the managed heap.</summary>
/// <param name="PeakWorkingSetBytes">The resident set's high-water mark (Linux VmHWM): FAISS and the model included.</param>
/// <param name="ManagedHeapBytes">The .NET heap alone (grains, label maps, buffers).</param>
[GenerateSerializer, Immutable, Alias("MemorySync.ProcessMemory")]
public sealed record ProcessMemory(
    [property: Id(0)] long WorkingSetBytes,
    [property: Id(1)] long PeakWorkingSetBytes,
    [property: Id(2)] long ManagedHeapBytes);
