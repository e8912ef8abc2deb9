namespace MemorySync.Keys;

/// <summary>A key an operator asks for: bound to <paramref name="Agents"/> (none for admin), expiring at <paramref name="ExpiresAt"/> (null: never).</summary>
/// <param name="RequestsPerSecond">The key's own rate limit (a benchmark's, a busy service's); null: the silo's Api:RequestsPerSecond.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.ApiKeyRequest")]
public sealed record ApiKeyRequest(
    [property: Id(0)] IReadOnlyList<string> Agents,
    [property: Id(1)] ApiScope Scope,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] int? RequestsPerSecond = null);

/// <summary>A new key, with its secret: the only time the secret is shown.</summary>
/// <param name="Key">The whole bearer token (<c>msk_&lt;key_id&gt;_&lt;secret&gt;</c>).</param>
/// <param name="Scopes">The key's scope and every scope it includes.</param>
[GenerateSerializer, Immutable, Alias("MemorySync.CreatedApiKey")]
public sealed record CreatedApiKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Key,
    [property: Id(2)] IReadOnlyList<string> Agents,
    [property: Id(3)] IReadOnlyList<string> Scopes,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] int? RequestsPerSecond = null);

/// <summary>A key as <c>memsync keys list</c> shows it: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("MemorySync.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] IReadOnlyList<string> Agents,
    [property: Id(2)] IReadOnlyList<string> Scopes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? RevokedAt,
    [property: Id(6)] int? RequestsPerSecond = null);
