namespace MemorySync.Index;

/// <summary>What a consistency sweep asks of a shard: range digests, the memories of some ranges, and forced repairs.</summary>
internal sealed partial class IndexGrain
{
    public async Task<IReadOnlyList<RangeDigest>> DigestAsync(int first, int end)
    {
        // Queued changes are not in FAISS yet: apply them first so the digest describes the index as it will stand.
        await FlushNowAsync();
        return _shard.Digest(first, end);
    }

    public async Task<IReadOnlyList<IndexedMemory>> ListAsync(IReadOnlyList<int> ranges)
    {
        await FlushNowAsync();
        return _shard.List(ranges);
    }

    public async Task RepairAsync(string memoryId, long label, IndexEntry? entry)
    {
        if (entry is not null && entry.Vector.Length != _shard.Dimension)
        {
            throw new MemoryValidationException("embedding", $"has {entry.Vector.Length} values; the index dimension is {_shard.Dimension}");
        }

        await FlushNowAsync();
        // Every label the shard maps to this memory goes, plus the memory's own label under whatever id it carries.
        _shard.ReplaceMemory(memoryId, label, entry);
        _shardSnapshots.MarkChanged(1);
        _reindex?.RecordRepair(memoryId);
    }
}
