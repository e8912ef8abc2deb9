using System.Diagnostics;
using System.Runtime;

namespace MemorySync.Stats;

[SiloPinnedPlacement]
internal sealed class SiloProcessGrain : Grain, ISiloProcessGrain
{
    public Task<ProcessMemory> GetMemoryAsync(bool collectGarbageFirst)
    {
        if (collectGarbageFirst)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return Task.FromResult(new ProcessMemory(process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(forceFullCollection: false)));
    }
}
