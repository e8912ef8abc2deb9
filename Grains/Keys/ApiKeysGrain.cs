using MemorySync.Configuration;
using MemorySync.Model;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MemorySync.Keys;

/// <summary>Makes, lists and revokes API keys; only the hash of a key's secret is ever stored.</summary>
[StatelessWorker]
internal sealed class ApiKeysGrain(ApiKeyStore store, IOptions<MemoryOptions> memoryOptions) : Grain, IApiKeysGrain
{
    public const int MaxAgentsPerKey = 100;
    public const int MaxRequestsPerSecond = 1_000_000;

    public async Task<CreatedApiKey> CreateAsync(ApiKeyRequest request)
    {
        Validate(request);
        var (keyId, key, hash) = ApiKeySecrets.Create();
        var agents = request.Agents.Distinct(StringComparer.Ordinal).ToList();
        await store.InsertAsync(keyId, hash, request with { Agents = agents });
        return new CreatedApiKey(keyId, key, agents, ApiScopes.Expand(request.Scope), request.ExpiresAt, request.RequestsPerSecond);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync() => (await store.ListAsync()).Select(key => key.Info()).ToList();

    // An id that no key could have is simply not found: nothing to ask PostgreSQL about.
    public Task<bool> RevokeAsync(string keyId) => ApiKeySecrets.IsKeyId(keyId) ? store.RevokeAsync(keyId) : Task.FromResult(false);

    private void Validate(ApiKeyRequest request)
    {
        if (!Enum.IsDefined(request.Scope))
        {
            throw new MemoryValidationException("scope", "is not one of read, write, admin");
        }

        var maxLength = memoryOptions.Value.MaxAgentIdLength;
        if (request.Agents.FirstOrDefault(agent => !MemoryIds.IsValid(agent, maxLength)) is { } bad)
        {
            throw new MemoryValidationException("agent", $"'{bad}' is not an agent id (1-{maxLength} characters from {MemoryIds.Charset})");
        }

        if (request.Agents.Count > MaxAgentsPerKey)
        {
            throw new MemoryValidationException("agent", $"a key is bound to at most {MaxAgentsPerKey} agents");
        }

        if (request.Scope == ApiScope.Admin && request.Agents.Count > 0)
        {
            throw new MemoryValidationException("agent", "an admin key acts for every agent: give no --agent");
        }

        if (request.Scope != ApiScope.Admin && request.Agents.Count == 0)
        {
            throw new MemoryValidationException("agent", $"a {ApiScopes.Name(request.Scope)} key needs at least one --agent");
        }

        if (request.RequestsPerSecond is < 1 or > MaxRequestsPerSecond)
        {
            throw new MemoryValidationException("rate", $"{request.RequestsPerSecond} is not in 1..{MaxRequestsPerSecond} calls a second");
        }

        if (request.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow)
        {
            throw new MemoryValidationException("expires", "is not in the future");
        }
    }
}
