namespace MemorySync;

/// <summary>The silo process itself, one activation on each silo (keyed by the silo's address).</summary>
public interface ISiloProcessGrain : IGrainWithStringKey
{
    /// <summary>The process's memory; with <paramref name="collectGarbageFirst"/>, after a full compacting collection.</summary>
    Task<ProcessMemory> GetMemoryAsync(bool collectGarbageFirst);
}
