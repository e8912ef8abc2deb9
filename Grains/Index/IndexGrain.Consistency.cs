namespace MemorySync.Index;

/// <summary>What a consistency sweep asks of a shard: range digests, the memories of some ranges, and forced repairs.</summary>
internal sealed partial class IndexGrain
{
    public async Task<IReadOnlyList<RangeDigest>> DigestAsync(int first, int end)
    {
        // Queued changes are not in FAISS yet: apply them first so the digest describes the index as it will stand.
        await FlushNowAsync();
        var digests = new Dictionary<int, (int Digest, int Count)>();
        foreach (var indexed in _labels.Values)
        {
            if (indexed.Range >= first && indexed.Range < end)
            {
                var (digest, count) = digests.GetValueOrDefault(indexed.Range);
                digests[indexed.Range] = (digest ^ indexed.Token, count + 1);
            }
        }

        return digests.Select(pair => new RangeDigest(pair.Key, pair.Value.Digest, pair.Value.Count)).ToList();
    }

    public async Task<IReadOnlyList<IndexedMemory>> ListAsync(IReadOnlyList<int> ranges)
    {
        await FlushNowAsync();
        var wanted = ranges.ToHashSet();
        return _labels
            .Where(pair => wanted.Contains(pair.Value.Range))
            .Select(pair => new IndexedMemory(pair.Value.MemoryId, pair.Key, pair.Value.Version))
            .ToList();
    }

    public async Task RepairAsync(string memoryId, long label, IndexEntry? entry)
    {
        if (entry is not null && entry.Vector.Length != _index.Dimension)
        {
            throw new MemoryValidationException("embedding", $"has {entry.Vector.Length} values; the index dimension is {_index.Dimension}");
        }

        await FlushNowAsync();
        // Every label the shard maps to this memory goes, plus the memory's own label under whatever id it carries.
        ReplaceMemory(_index, _labels, memoryId, label, entry);
        MarkChanged(1);
        _repairedDuringReindex?.Add(memoryId);
    }
}
