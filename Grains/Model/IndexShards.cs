namespace MemorySync.Model;

/// <summary>Which index shard holds a memory: FNV-1a (64-bit) of the id's UTF-8 bytes, modulo the shard count.</summary>
/// <remarks>Stable across processes and .NET versions, unlike string.GetHashCode.</remarks>
public static class IndexShards
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static int ShardOf(string memoryId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        var hash = OffsetBasis;
        // One character at a time into a fixed buffer: a buffer sized by the id would let a long enough id overflow the
        // stack. An unpaired surrogate becomes U+FFFD, as Encoding.UTF8 encodes it, so the shard of every id is unchanged.
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in memoryId.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            foreach (var b in buffer[..length])
            {
                hash ^= b;
                hash *= Prime;
            }
        }

        return (int)(hash % (ulong)shardCount);
    }
}
