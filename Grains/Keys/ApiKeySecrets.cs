using System.Security.Cryptography;
using System.Text;

namespace MemorySync.Keys;

/// <summary>
/// The shape of a key: <c>msk_&lt;key_id&gt;_&lt;secret&gt;</c>. The id finds the row; the secret (256 random bits) is
/// checked against its stored SHA-256 in constant time.
/// </summary>
internal static class ApiKeySecrets
{
    private const string Prefix = "msk_";
    private const int KeyIdLength = 13;

    public static (string KeyId, string Key, byte[] SecretHash) Create()
    {
        var keyId = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (keyId, $"{Prefix}{keyId}_{secret}", Hash(secret));
    }

    /// <summary>The key id and secret of a presented key, or null when it is not shaped like one of ours.</summary>
    public static (string KeyId, string Secret)? Parse(string? presented)
    {
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var rest = presented[Prefix.Length..];
        var split = rest.IndexOf('_', StringComparison.Ordinal);
        return split <= 0 || split == rest.Length - 1 || !IsKeyId(rest[..split]) ? null : (rest[..split], rest[(split + 1)..]);
    }

    /// <summary>Whether <paramref name="keyId"/> has the shape of the ids <see cref="Create"/> gives ("k" and 12 hex digits).</summary>
    public static bool IsKeyId(string? keyId) => keyId is { Length: KeyIdLength } && keyId[0] == 'k' && keyId[1..].All(char.IsAsciiHexDigitLower);

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
