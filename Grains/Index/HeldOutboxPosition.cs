namespace MemorySync.Index;

/// <summary>
/// How far a shard's index reaches into the outbox: the highest FAISS outbox queue id whose change it holds. The shard
/// tracks this itself rather than reading the outbox's global state when it snapshots, because "every row up to n is
/// done" says nothing about this index: another shard, or another activation of this one during a partition, may have
/// applied those rows. The MemoryGrains that send changes do not know their rows' ids, so the changes applied since the
/// last snapshot are kept as (label, version) and resolved to ids at the next one; until then they count for nothing,
/// which only makes a replay after a crash cover more than it needs to.
/// </summary>
internal sealed class HeldOutboxPosition
{
    private Dictionary<long, long> _unresolved = [];

    /// <summary>Every FAISS outbox row of this shard up to this id is in the index (up to commits still in flight).</summary>
    public long Position { get; private set; }

    /// <summary>The index was just loaded: from a snapshot replayed up to this id, or rebuilt from what PostgreSQL held at it.</summary>
    public void LoadedThrough(long position)
    {
        Position = position;
        _unresolved = [];
    }

    /// <summary>The index took this version of this label (an upsert or a removal).</summary>
    public void Applied(long label, long version)
    {
        if (!_unresolved.TryGetValue(label, out var known) || known < version)
        {
            _unresolved[label] = version;
        }
    }

    /// <summary>The changes applied since the last call, to resolve to outbox ids; changes applied from now on wait for the next.</summary>
    public IReadOnlyDictionary<long, long> TakeUnresolved()
    {
        var taken = _unresolved;
        _unresolved = [];
        return taken;
    }

    /// <summary>The taken changes resolved: the highest outbox id among them (0 when none has a row).</summary>
    public void Resolved(long highestQueueId) => Position = Math.Max(Position, highestQueueId);

    /// <summary>Resolving failed: the taken changes wait for the next attempt.</summary>
    public void NotResolved(IReadOnlyDictionary<long, long> taken)
    {
        foreach (var (label, version) in taken)
        {
            Applied(label, version);
        }
    }
}
