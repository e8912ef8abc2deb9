using MemorySync.Stores;
using Orleans.Concurrency;

namespace MemorySync.Conflicts;

[StatelessWorker]
internal sealed class ConflictsGrain(IEpisodicStore episodic) : Grain, IConflictsGrain
{
    public Task<IReadOnlyList<ConflictInfo>> ListOpenAsync() => episodic.OpenConflictsAsync(memoryId: null);
}
