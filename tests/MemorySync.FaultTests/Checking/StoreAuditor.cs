using System.Globalization;
using MemorySync.FaultTests.Load;
using MemorySync.Testing;

namespace MemorySync.FaultTests.Checking;

/// <summary>
/// The checker: holds what the stores say against what the workload was told (no acknowledged write lost) and against
/// each other (Redis and the index hold exactly PostgreSQL's live memories at PostgreSQL's versions, no gap in any
/// history, no transaction or outbox row left unfinished).
/// </summary>
internal static class StoreAuditor
{
    private const double MaxStampAheadSeconds = 60;

    public static AuditReport Audit(StoreSnapshot stores, IEnumerable<LedgerEntry> ledger)
    {
        var divergent = new List<string>();
        var lost = FindLost(stores, ledger, divergent);
        CheckHistories(stores, divergent);
        CheckRedis(stores, divergent);
        CheckIndex(stores, divergent);
        if (stores.PendingTransactions > 0)
        {
            divergent.Add($"{stores.PendingTransactions} sync_transactions still pending");
        }

        if (stores.PendingOutbox > 0 || stores.DeadOutbox > 0)
        {
            divergent.Add($"outbox: {stores.PendingOutbox} rows pending, {stores.DeadOutbox} dead");
        }

        return new AuditReport(lost, divergent);
    }

    // Each acknowledged write is in the memory's history (found by its version when the acknowledgement gave one, else
    // by its unique content), and the memory's current version is not older than the latest of them. A version in the
    // history that no write of the workload carried is reported too.
    private static List<string> FindLost(StoreSnapshot stores, IEnumerable<LedgerEntry> ledger, List<string> divergent)
    {
        var lost = new List<string>();
        var entries = ledger.ToList();
        var byVersion = stores.History.ToDictionary(row => (row.MemoryId, row.Version));
        var byContent = stores.History.Where(row => !row.Deleted).ToLookup(row => (row.MemoryId, row.Content));
        var latestAcknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(entry => entry.Acknowledged))
        {
            var version = Locate(entry, byVersion, byContent);
            if (version is null)
            {
                lost.Add(entry.IsDelete
                    ? $"{entry.MemoryId}: acknowledged delete at v{entry.Version} not in history"
                    : $"{entry.MemoryId}: acknowledged \"{entry.Content}\" (v{entry.Version?.ToString() ?? "?"}) not in history");
                continue;
            }

            latestAcknowledged[entry.MemoryId] = Math.Max(version.Value, latestAcknowledged.GetValueOrDefault(entry.MemoryId));
        }

        foreach (var (memoryId, version) in latestAcknowledged)
        {
            var current = stores.Memories.GetValueOrDefault(memoryId);
            if (current is null || current.Version < version)
            {
                lost.Add($"{memoryId}: acknowledged v{version}, PostgreSQL holds {(current is null ? "nothing" : $"v{current.Version}")}");
            }
        }

        // A refused write's content (unique to it) must be nowhere: a refusal changes nothing in any store.
        foreach (var entry in entries.Where(entry => entry.Refused && byContent[(entry.MemoryId, entry.Content!)].Any()))
        {
            divergent.Add($"{entry.MemoryId}: refused write \"{entry.Content}\" stored as v{byContent[(entry.MemoryId, entry.Content!)].Max(row => row.Version)}");
        }

        var written = entries.Where(entry => !entry.IsDelete && !entry.Refused).Select(entry => (entry.MemoryId, entry.Content!)).ToHashSet();
        var workloadIds = entries.Select(entry => entry.MemoryId).ToHashSet(StringComparer.Ordinal);
        var forged = stores.History.Where(row => !row.Deleted && workloadIds.Contains(row.MemoryId) && !written.Contains((row.MemoryId, row.Content)));
        foreach (var row in forged)
        {
            divergent.Add($"{row.MemoryId} v{row.Version}: content \"{row.Content}\" that no write sent");
        }

        return lost;
    }

    private static long? Locate(LedgerEntry entry, Dictionary<(string, long), StoreSnapshot.HistoryRow> byVersion,
        ILookup<(string, string), StoreSnapshot.HistoryRow> byContent)
    {
        if (entry.Version is { } version)
        {
            var row = byVersion.GetValueOrDefault((entry.MemoryId, version));
            var matches = row is not null && (entry.IsDelete ? row.Deleted : !row.Deleted && row.Content == entry.Content);
            return matches ? version : null;
        }

        return byContent[(entry.MemoryId, entry.Content!)].Select(row => (long?)row.Version).Max();
    }

    // Versions 1..current, each once: a gap would be a version acknowledged and then taken back. And no version stamped
    // further ahead of its commit than a silo's clock fence allows (Memory:MaxClockSkew, 60 s by default): a stamp from a
    // clock minutes ahead would win every LatestWins conflict on that memory until real time caught up with it.
    private static void CheckHistories(StoreSnapshot stores, List<string> divergent)
    {
        foreach (var row in stores.History.Where(row => row.StampAheadSeconds > MaxStampAheadSeconds))
        {
            divergent.Add(string.Create(CultureInfo.InvariantCulture,
                $"{row.MemoryId} v{row.Version}: stamped {row.StampAheadSeconds:F0} s ahead of its commit in PostgreSQL"));
        }

        var histories = stores.History.GroupBy(row => row.MemoryId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(row => row.Version).Order().ToList(), StringComparer.Ordinal);
        foreach (var (memoryId, row) in stores.Memories)
        {
            var versions = histories.GetValueOrDefault(memoryId) ?? [];
            if (!versions.SequenceEqual(Enumerable.Range(1, (int)row.Version).Select(version => (long)version)))
            {
                divergent.Add($"{memoryId}: current v{row.Version}, history holds [{string.Join(",", versions)}]");
            }
        }
    }

    private static void CheckRedis(StoreSnapshot stores, List<string> divergent)
    {
        foreach (var (memoryId, row) in stores.Memories)
        {
            var copy = stores.Redis.GetValueOrDefault(memoryId);
            if (row.Deleted && copy is not null)
            {
                divergent.Add($"{memoryId}: deleted at v{row.Version}, Redis still holds v{copy.Version}");
            }
            else if (!row.Deleted && !Matches(copy, row))
            {
                divergent.Add($"{memoryId}: PostgreSQL v{row.Version}, Redis {Describe(copy, row)}");
            }
        }

        foreach (var memoryId in stores.Redis.Keys.Where(memoryId => !stores.Memories.ContainsKey(memoryId)))
        {
            divergent.Add($"{memoryId}: in Redis, unknown to PostgreSQL");
        }
    }

    private static bool Matches(StoreSnapshot.RedisCopy? copy, StoreSnapshot.Row row) =>
        copy is not null && copy.Version == row.Version.ToString(CultureInfo.InvariantCulture) && copy.Checksum == row.Checksum;

    private static string Describe(StoreSnapshot.RedisCopy? copy, StoreSnapshot.Row row) =>
        copy is null ? "nothing" : copy.Checksum == row.Checksum ? $"v{copy.Version}" : $"v{copy.Version} with another checksum";

    // One vector per live memory, under its label, at its version; none for a deleted or unknown memory.
    private static void CheckIndex(StoreSnapshot stores, List<string> divergent)
    {
        var indexed = stores.Index.GroupBy(entry => entry.MemoryId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToList(), StringComparer.Ordinal);
        foreach (var (memoryId, row) in stores.Memories)
        {
            var entries = indexed.GetValueOrDefault(memoryId) ?? [];
            var expected = row.Deleted ? 0 : 1;
            if (entries.Count != expected || (expected == 1 && (entries[0].Label != row.Label || entries[0].Version != row.Version)))
            {
                var held = string.Join(",", entries.Select(entry => $"label {entry.Label} v{entry.Version}"));
                divergent.Add($"{memoryId}: PostgreSQL v{row.Version}{(row.Deleted ? " deleted" : "")}, index [{held}]");
            }
        }

        foreach (var memoryId in indexed.Keys.Where(memoryId => !stores.Memories.ContainsKey(memoryId)))
        {
            divergent.Add($"{memoryId}: in the index, unknown to PostgreSQL");
        }

        var live = stores.Memories.Values.Count(row => !row.Deleted);
        if (stores.IndexVectors != live)
        {
            divergent.Add($"the index holds {stores.IndexVectors} vectors for {live} live memories");
        }
    }
}
