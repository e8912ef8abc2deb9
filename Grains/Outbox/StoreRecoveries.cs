using MemorySync.Stores;

namespace MemorySync.Outbox;

/// <summary>
/// The stores seen healthy again on this silo, each with the moment it was: the outbox drainer re-drives the dead
/// letters of each store that died before that moment (and only those, so a row that dies again after the recovery
/// waits for the next one instead of going round in a loop). Fed by the health monitor's probes and by the drainer's
/// own passes; PostgreSQL coming back counts for both secondary stores, whose rows it records.
/// </summary>
internal sealed class StoreRecoveries
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);

    public void Recovered(string store, DateTimeOffset at)
    {
        string[] stores = store == StoreNames.Postgres ? [StoreNames.Redis, StoreNames.Faiss] : [store];
        lock (_gate)
        {
            foreach (var target in stores)
            {
                // A later recovery covers everything an earlier one would have re-driven.
                _due[target] = _due.TryGetValue(target, out var earlier) && earlier > at ? earlier : at;
            }
        }
    }

    /// <summary>The stores with dead letters to re-drive, each with the moment it recovered.</summary>
    public IReadOnlyList<(string Store, DateTimeOffset RecoveredAt)> Due()
    {
        lock (_gate)
        {
            return _due.Select(pair => (pair.Key, pair.Value)).ToList();
        }
    }

    /// <summary>Every dead letter of the store from before <paramref name="recoveredAt"/> was re-driven.</summary>
    public void Done(string store, DateTimeOffset recoveredAt)
    {
        lock (_gate)
        {
            // A recovery recorded meanwhile stays due.
            if (_due.TryGetValue(store, out var current) && current == recoveredAt)
            {
                _due.Remove(store);
            }
        }
    }
}
