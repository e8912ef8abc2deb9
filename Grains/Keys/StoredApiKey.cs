namespace MemorySync.Keys;

/// <summary>A key's row: what it may do, and the hash its secret must match.</summary>
internal sealed record StoredApiKey(
    string KeyId,
    byte[] SecretHash,
    IReadOnlyList<string> Agents,
    ApiScope Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    int? RequestsPerSecond)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public ApiKeyInfo Info() => new(KeyId, Agents, ApiScopes.Expand(Scope), CreatedAt, ExpiresAt, RevokedAt, RequestsPerSecond);
}
