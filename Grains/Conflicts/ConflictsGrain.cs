using MemorySync.Stores;
using Orleans.Concurrency;

namespace MemorySync.Conflicts;

[StatelessWorker]
internal sealed class ConflictsGrain(IConflictLog conflicts) : Grain, IConflictsGrain
{
    public Task<IReadOnlyList<ConflictInfo>> ListOpenAsync() => conflicts.OpenConflictsAsync(memoryId: null);
}
