namespace MemorySync;

/// <summary>The operators' view of conflicts across all memories (a stateless worker).</summary>
public interface IConflictsGrain : IGrainWithIntegerKey
{
    /// <summary>Conflicts still waiting for an operator, oldest first.</summary>
    Task<IReadOnlyList<ConflictInfo>> ListOpenAsync();
}
