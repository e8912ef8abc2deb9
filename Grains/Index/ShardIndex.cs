using MemorySync.Faiss;
using MemorySync.Model;

namespace MemorySync.Index;

/// <summary>
/// One shard's index and what it knows of each vector in it: the FAISS index, the label map (whose memory a label is,
/// at which version, its sweep range and fingerprint) and the version that removed each label it no longer holds, so
/// that a late replay of an older upsert cannot bring one back. Every change to the label map goes through here, and
/// the map and the index change together. Not thread-safe: its owner calls it from one thread at a time (the grain's
/// scheduler); only <see cref="Faiss"/>'s own calls may run beside it (a snapshot serializing, a training reading back).
/// </summary>
internal sealed class ShardIndex(FaissIndex faiss) : IDisposable
{
    private readonly Dictionary<long, IndexedLabel> _labels = [];
    private readonly Dictionary<long, long> _removedAt = [];

    /// <summary>The FAISS index serving searches: a training swaps in another (<see cref="SwapIndex"/>).</summary>
    public FaissIndex Faiss { get; private set; } = faiss;

    public int Dimension => Faiss.Dimension;

    public long VectorCount => Faiss.Count;

    public IReadOnlyDictionary<long, IndexedLabel> Labels => _labels;

    /// <summary>
    /// A shard as its snapshot left it: the deserialized index and the label map's entries, whose sweep range and
    /// fingerprint are computed again. A map that does not describe the index is refused.
    /// </summary>
    public static ShardIndex Restore(FaissIndex faiss, IEnumerable<(long Label, long Version, string MemoryId, string AgentId, string MemoryType)> labelMap)
    {
        var shard = new ShardIndex(faiss);
        foreach (var (label, version, memoryId, agentId, memoryType) in labelMap)
        {
            shard._labels[label] = Describe(label, memoryId, agentId, memoryType, version);
        }

        return shard.Labels.Count == faiss.Count
            ? shard
            : throw new InvalidDataException($"the snapshot holds {faiss.Count} vectors but {shard.Labels.Count} labels");
    }

    /// <summary>The version this shard holds for a label, or the version that removed it; 0 when it never saw it.</summary>
    public long KnownVersion(long label) =>
        _labels.TryGetValue(label, out var indexed) ? indexed.Version : _removedAt.GetValueOrDefault(label);

    /// <summary>
    /// Applies a batch of queued changes: the last change per label wins, and a change older than what the shard
    /// already holds is a replay and is skipped. One remove call and one add call for the whole batch. Returns the
    /// changes applied.
    /// </summary>
    public IReadOnlyList<PendingIndexChange> Apply(IReadOnlyList<PendingIndexChange> batch)
    {
        var latest = new Dictionary<long, PendingIndexChange>();
        foreach (var change in batch)
        {
            // Strictly newer only: an equal version may be a number reused after a strict rollback, and re-adding the
            // same vector is harmless.
            if (KnownVersion(change.Label) > change.Version)
            {
                continue;
            }

            if (!latest.TryGetValue(change.Label, out var previous) || previous.Version <= change.Version)
            {
                latest[change.Label] = change;
            }
        }

        RemoveLabels([.. latest.Keys.Where(_labels.ContainsKey)]);
        foreach (var removal in latest.Values.Where(change => change.Entry is null))
        {
            _removedAt[removal.Label] = removal.Version;
        }

        Add([.. latest.Values.Where(change => change.Entry is not null).Select(change => change.Entry!)]);
        return [.. latest.Values];
    }

    /// <summary>Adds entries whose labels the shard does not hold (one add call).</summary>
    public void Add(IReadOnlyList<IndexEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var dimension = Dimension;
        var vectors = new float[entries.Count * dimension];
        var labels = new long[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Vector.CopyTo(vectors, i * dimension);
            labels[i] = entries[i].Label;
        }

        Faiss.Add(vectors, labels);
        foreach (var entry in entries)
        {
            _labels[entry.Label] = Describe(entry.Label, entry.MemoryId, entry.AgentId, entry.MemoryType, entry.Version);
            _removedAt.Remove(entry.Label);
        }
    }

    /// <summary>
    /// Undoes a version that failed elsewhere (a strict write rolled back), if the shard still holds that version for
    /// the label: the previous entry comes back, or none. Returns whether anything changed.
    /// </summary>
    public bool RollBack(long label, long failedVersion, IndexEntry? previous)
    {
        if (KnownVersion(label) != failedVersion)
        {
            return false;
        }

        // Neither held nor removed any more: the label is as it was before the failed version, or unknown.
        ReplaceLabel(label, previous);
        _removedAt.Remove(label);
        return true;
    }

    /// <summary>
    /// Drops every vector of the memory (and the given label, whoever held it), then adds the entry when there is one.
    /// Callers that already know the memory's labels pass them; otherwise the label map is searched.
    /// </summary>
    public void ReplaceMemory(string memoryId, long label, IndexEntry? entry, IReadOnlyCollection<long>? heldLabels = null)
    {
        var stale = (heldLabels ?? [.. _labels.Where(pair => pair.Value.MemoryId == memoryId).Select(pair => pair.Key)]).ToHashSet();
        if (label >= 0 && _labels.ContainsKey(label))
        {
            stale.Add(label);
        }

        RemoveLabels([.. stale]);
        if (entry is not null)
        {
            Add([entry]);
        }
    }

    /// <summary>Replaces what one label holds with the entry, or removes it when there is none.</summary>
    public void ReplaceLabel(long label, IndexEntry? entry)
    {
        RemoveLabels(_labels.ContainsKey(label) ? [label] : []);
        if (entry is not null)
        {
            Add([entry]);
        }
    }

    /// <summary>The labels the shard holds for each of these memories.</summary>
    public ILookup<string, long> LabelsOf(IReadOnlySet<string> memoryIds) =>
        _labels.Where(pair => memoryIds.Contains(pair.Value.MemoryId)).ToLookup(pair => pair.Value.MemoryId, pair => pair.Key);

    /// <summary>
    /// The k nearest memories that pass the filters. With filters, FAISS is asked for more than k, widening until k
    /// pass, the whole shard was seen, or <paramref name="maxFilteredCandidates"/> were read: a rare filter must not
    /// make each search read a large shard whole.
    /// </summary>
    public IReadOnlyList<IndexMatch> Search(float[] query, int k, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes,
        int maxFilteredCandidates)
    {
        var count = _labels.Count;
        if (count == 0)
        {
            return [];
        }

        var filtered = agentIds is not null || memoryTypes is { Count: > 0 };
        var widest = filtered ? Math.Min(count, maxFilteredCandidates) : count;
        var fetch = Math.Min(widest, filtered ? Math.Max(k * 4, 64) : k);
        while (true)
        {
            var result = Faiss.Search(query, fetch);
            var matches = new List<IndexMatch>(k);
            var labels = result.LabelsOf(0);
            var scores = result.DistancesOf(0);
            for (var i = 0; i < labels.Length && matches.Count < k; i++)
            {
                if (labels[i] >= 0 && _labels.TryGetValue(labels[i], out var indexed) && Passes(indexed, agentIds, memoryTypes))
                {
                    matches.Add(new IndexMatch(indexed.MemoryId, labels[i], scores[i]));
                }
            }

            if (matches.Count >= k || fetch >= widest)
            {
                return matches;
            }

            fetch = Math.Min(widest, fetch * 4);
        }
    }

    /// <summary>What the index holds under a label: its vector, its version, and how often it occurs.</summary>
    public IndexEntryProbe Probe(long label)
    {
        var vector = Faiss.Reconstruct(label);
        var version = _labels.TryGetValue(label, out var indexed) ? indexed.Version : 0;
        if (vector is null)
        {
            return new IndexEntryProbe(0, null, version);
        }

        // A duplicate would be the same vector under the same label: it would come back among the nearest hits.
        var result = Faiss.Search(vector, (int)Math.Min(Faiss.Count, 16));
        var occurrences = 0;
        foreach (var found in result.LabelsOf(0))
        {
            occurrences += found == label ? 1 : 0;
        }

        return new IndexEntryProbe(occurrences, vector, version);
    }

    /// <summary>Per sweep range in [first, end): the XOR of its memories' fingerprints and how many there are.</summary>
    public IReadOnlyList<RangeDigest> Digest(int first, int end)
    {
        var digests = new Dictionary<int, (int Digest, int Count)>();
        foreach (var indexed in _labels.Values)
        {
            if (indexed.Range >= first && indexed.Range < end)
            {
                var (digest, count) = digests.GetValueOrDefault(indexed.Range);
                digests[indexed.Range] = (digest ^ indexed.Token, count + 1);
            }
        }

        return [.. digests.Select(pair => new RangeDigest(pair.Key, pair.Value.Digest, pair.Value.Count))];
    }

    /// <summary>The memories indexed in these sweep ranges.</summary>
    public IReadOnlyList<IndexedMemory> List(IReadOnlyCollection<int> ranges)
    {
        var wanted = ranges.ToHashSet();
        return [.. _labels.Where(pair => wanted.Contains(pair.Value.Range)).Select(pair => new IndexedMemory(pair.Value.MemoryId, pair.Key, pair.Value.Version))];
    }

    /// <summary>Puts a trained index holding the same labels in place of the serving one, and returns the one it replaced.</summary>
    public FaissIndex SwapIndex(FaissIndex trained)
    {
        var replaced = Faiss;
        Faiss = trained;
        return replaced;
    }

    /// <summary>
    /// Takes over the removals another shard index recorded: a rebuilt index replacing the serving one must still turn
    /// away late replays of what was removed before.
    /// </summary>
    public void TakeRemovalsFrom(ShardIndex previous)
    {
        foreach (var (label, version) in previous._removedAt.Where(pair => !_labels.ContainsKey(pair.Key)))
        {
            _removedAt[label] = version;
        }
    }

    public void Dispose() => Faiss.Dispose();

    private void RemoveLabels(long[] labels)
    {
        if (labels.Length == 0)
        {
            return;
        }

        Faiss.Remove(labels);
        foreach (var label in labels)
        {
            _labels.Remove(label);
        }
    }

    private static IndexedLabel Describe(long label, string memoryId, string agentId, string memoryType, long version) =>
        new(memoryId, agentId, memoryType, version, SweepHash.RangeOf(memoryId), SweepHash.FaissToken(memoryId, version, label));

    private static bool Passes(IndexedLabel indexed, IReadOnlyList<string>? agentIds, IReadOnlyList<string>? memoryTypes) =>
        (agentIds is null || agentIds.Contains(indexed.AgentId)) &&
        (memoryTypes is not { Count: > 0 } || memoryTypes.Contains(indexed.MemoryType));
}
