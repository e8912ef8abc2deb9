using System.Text.Json;
using System.Text.Json.Nodes;
using MemorySync.Model;

namespace MemorySync.Memories;

/// <summary>
/// Decides what a write does to the current version. A blind write (no base) or one based on the current version
/// supersedes it. Otherwise the write is <em>stale</em> (its base vector, plus its own event, is already covered by
/// the current vector) or <em>concurrent</em>, and the strategy decides:
/// LatestWins keeps the side with the later HLC; Merge unites them field by field (see <see cref="Merge"/>);
/// VersionVector refuses a stale write and hands a concurrent one to the configured fallback; Manual flags it.
/// </summary>
internal static class ConflictResolver
{
    internal enum Relation
    {
        Supersedes,
        Stale,
        Concurrent,
    }

    public static ConflictDecision Decide(
        MemoryRecord? current, long currentHlc, float[]? currentEmbedding, MemoryWrite write, MemoryContent incoming, string writerId,
        ConflictStrategy strategy, ConflictStrategy concurrentFallback)
    {
        var relation = Classify(current, write, writerId);
        if (relation == Relation.Supersedes)
        {
            return new ConflictDecision(ConflictOutcome.Apply, incoming, null, null);
        }

        var currentContent = ContentOf(current!, currentHlc, currentEmbedding);
        var basis = write.BaseVersionVector is not null ? "its base version vector" : $"base version {write.BaseVersion}";
        var situation = relation == Relation.Stale
            ? $"stale: {basis} is already covered by version {current!.Version}"
            : $"concurrent: {basis} is behind version {current!.Version}";
        return strategy switch
        {
            ConflictStrategy.LatestWins => LatestWins(currentContent, incoming, situation),
            ConflictStrategy.Merge => new ConflictDecision(ConflictOutcome.Apply, Merge(currentContent, incoming), ConflictStrategy.Merge,
                $"{situation}; merged field by field"),
            ConflictStrategy.VersionVector when relation == Relation.Stale => new ConflictDecision(ConflictOutcome.KeepCurrent, null,
                ConflictStrategy.VersionVector, $"{situation}; the current vector dominates, the write is refused"),
            ConflictStrategy.VersionVector => Decide(current, currentHlc, currentEmbedding, write, incoming, writerId,
                concurrentFallback == ConflictStrategy.VersionVector ? ConflictStrategy.LatestWins : concurrentFallback, concurrentFallback) with
            {
                Strategy = ConflictStrategy.VersionVector,
            },
            _ => new ConflictDecision(ConflictOutcome.Flag, null, ConflictStrategy.Manual, $"{situation}; left for an operator"),
        };
    }

    internal static Relation Classify(MemoryRecord? current, MemoryWrite write, string writerId)
    {
        if (current is null || current.Deleted)
        {
            return Relation.Supersedes;
        }

        if (write.BaseVersionVector is { } baseVector)
        {
            var incomingVector = new Dictionary<string, long>(baseVector, StringComparer.Ordinal);
            incomingVector[writerId] = incomingVector.GetValueOrDefault(writerId) + 1;
            if (Dominates(current.VersionVector, incomingVector))
            {
                return Relation.Stale;
            }

            return Dominates(baseVector, current.VersionVector) ? Relation.Supersedes : Relation.Concurrent;
        }

        if (write.BaseVersion is { } baseVersion)
        {
            return baseVersion >= current.Version ? Relation.Supersedes : Relation.Concurrent;
        }

        return Relation.Supersedes;
    }

    /// <summary>True when every component of <paramref name="b"/> is at most the same component of <paramref name="a"/>.</summary>
    internal static bool Dominates(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        b.All(entry => a.GetValueOrDefault(entry.Key) >= entry.Value);

    /// <summary>
    /// Metadata: keys of both sides, the newer side's value where both have a key (objects are not merged deeper);
    /// importance: the maximum; content, memory type, agent and embedding: the newer side's. Newer is the later HLC,
    /// ties going to the incoming write. Deterministic: the same two sides always give the same result.
    /// </summary>
    internal static MemoryContent Merge(MemoryContent current, MemoryContent incoming)
    {
        var incomingIsNewer = incoming.Hlc >= current.Hlc;
        var (newer, older) = incomingIsNewer ? (incoming, current) : (current, incoming);
        var metadata = JsonNode.Parse(older.CanonicalMetadata)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(newer.CanonicalMetadata)!.AsObject().ToList())
        {
            metadata[key] = value?.DeepClone();
        }

        using var document = JsonDocument.Parse(metadata.ToJsonString());
        return newer with
        {
            Importance = Math.Max(current.Importance, incoming.Importance),
            CanonicalMetadata = CanonicalJson.Write(document.RootElement),
            Hlc = Math.Max(current.Hlc, incoming.Hlc),
        };
    }

    private static ConflictDecision LatestWins(MemoryContent current, MemoryContent incoming, string situation) =>
        incoming.Hlc > current.Hlc
            ? new ConflictDecision(ConflictOutcome.Apply, incoming, ConflictStrategy.LatestWins,
                $"{situation}; the incoming write is later (hlc {incoming.Hlc} > {current.Hlc})")
            : new ConflictDecision(ConflictOutcome.KeepCurrent, null, ConflictStrategy.LatestWins,
                $"{situation}; the current version is later (hlc {current.Hlc} >= {incoming.Hlc})");

    private static MemoryContent ContentOf(MemoryRecord record, long hlc, float[]? embedding) =>
        new(record.AgentId, record.Content, record.MemoryType, record.Importance, record.MetadataJson, embedding, record.EmbeddingModel, hlc);
}
