namespace MemorySync.Stores;

/// <summary>Redis, the working memory: the current version of each live memory, for fast reads.</summary>
internal interface IWorkingMemoryStore
{
    /// <summary>Stores this version unless Redis already holds it or a newer one (then it is a harmless replay).</summary>
    Task WriteAsync(MemoryRecord record);

    /// <summary>A repair: replaces whatever Redis holds for the memory with this version, unconditionally.</summary>
    Task ForceWriteAsync(MemoryRecord record);

    /// <summary>A repair: removes the memory's key, whatever it holds.</summary>
    Task PurgeAsync(string memoryId);

    /// <summary>Removes the memory unless Redis holds a version newer than the tombstone.</summary>
    Task DeleteAsync(string memoryId, long tombstoneVersion);

    /// <summary>Undoes a failed strict write: if Redis holds <paramref name="failedVersion"/>, puts back <paramref name="previous"/> (or deletes).</summary>
    Task RestoreAsync(string memoryId, long failedVersion, MemoryRecord? previous);

    /// <summary>Content of each id Redis holds, in one pipelined round trip.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyList<string> memoryIds);
}
