using System.Collections.Concurrent;
using MemorySync.Keys;
using MemorySync.Silo.Access;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

/// <summary>
/// Checks a presented key against its row in PostgreSQL. A row read is trusted for <c>Api:KeyCacheSeconds</c>, so a
/// busy key costs one query per window, and a revoked or expired key stops working within that bound.
/// </summary>
internal sealed class ApiKeyVerifier(ApiKeyStore store, IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (StoredApiKey? Row, DateTimeOffset ReadAt)> _rows = new(StringComparer.Ordinal);

    /// <summary>The caller the key stands for, or null when it is unknown, revoked, expired or does not match.</summary>
    public async Task<ApiCaller?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (ApiKeySecrets.Parse(presented) is not var (keyId, secret))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        if (!_rows.TryGetValue(keyId, out var cached) || now - cached.ReadAt >= window)
        {
            cached = (await store.FindAsync(keyId, cancellationToken), now);
            // Only rows that exist are kept: made-up key ids must not fill the cache.
            if (cached.Row is not null)
            {
                _rows[keyId] = cached;
            }
        }

        return cached.Row is { } row && row.IsUsableAt(now) && ApiKeySecrets.Matches(secret, row.SecretHash)
            ? new ApiCaller(row.KeyId, row.Scope, row.Agents, row.RequestsPerSecond)
            : null;
    }
}
