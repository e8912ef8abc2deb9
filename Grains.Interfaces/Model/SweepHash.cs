using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MemorySync.Model;

/// <summary>
/// The C# side of the sweep formulas in sql/0003 (PostgreSQL) and RedisSweepScripts (Redis Lua): which
/// range a memory id falls in, and the 32-bit fingerprint each store's copy of a memory contributes to its range's
/// digest. All three must agree bit for bit, so each is spelled out once here and tested against the others.
/// </summary>
public static class SweepHash
{
    /// <summary>Memory ids fall into this many ranges; a range is the unit whose digests a sweep compares.</summary>
    public const int RangeCount = 4096;

    /// <summary>The first two bytes of SHA-1(id), modulo <see cref="RangeCount"/>.</summary>
    public static int RangeOf(string memoryId)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        Sha1(memoryId, hash);
        return ((hash[0] << 8) | hash[1]) % RangeCount;
    }

    /// <summary>
    /// What Redis contributes for a memory it holds at <paramref name="version"/> with these fields: a hash of the content
    /// it holds, not only of the checksum it carries, so an edit of the content shows even when the hash was resealed.
    /// </summary>
    public static int RedisToken(string memoryId, long version, string checksum, string agentId, string memoryType, string content) =>
        Fingerprint(string.Create(CultureInfo.InvariantCulture,
            $"{memoryId}\n{version}\n{checksum}\n{agentId}\n{memoryType}\n{Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(content)))}"));

    /// <summary>What the FAISS index contributes for a memory it holds at <paramref name="version"/> under <paramref name="label"/>.</summary>
    public static int FaissToken(string memoryId, long version, long label) =>
        Fingerprint(string.Create(CultureInfo.InvariantCulture, $"{memoryId}\n{version}\n{label}"));

    /// <summary>The first four bytes of SHA-1(UTF-8 of <paramref name="value"/>), big-endian, as a signed integer.</summary>
    public static int Fingerprint(string value)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        Sha1(value, hash);
        return BinaryPrimitives.ReadInt32BigEndian(hash);
    }

    private static void Sha1(string value, Span<byte> hash)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        // A fingerprint, not a security boundary: SHA-1 is the hash PostgreSQL, Redis and .NET share.
        SHA1.HashData(bytes, hash);
    }
}
