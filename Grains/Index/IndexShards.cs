using System.Text;

namespace MemorySync.Index;

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
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(memoryId.Length)];
        var length = Encoding.UTF8.GetBytes(memoryId, buffer);
        foreach (var b in buffer[..length])
        {
            hash ^= b;
            hash *= Prime;
        }

        return (int)(hash % (ulong)shardCount);
    }
}
