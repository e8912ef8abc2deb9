namespace MemorySync.Keys;

/// <summary>The operator's management of API keys (the CLI's <c>memsync keys</c>; key 0).</summary>
public interface IApiKeysGrain : IGrainWithIntegerKey
{
    /// <summary>Makes a key and returns it with its secret, which is stored only as a hash.</summary>
    /// <exception cref="MemoryValidationException">The request is invalid (an agent id, no agent for a read or write key, an expiry in the past).</exception>
    Task<CreatedApiKey> CreateAsync(ApiKeyRequest request);

    /// <summary>Every key, revoked and expired ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync();

    /// <summary>Revokes the key (each silo stops taking it within Api:KeyCacheSeconds); false when there is no such key.</summary>
    Task<bool> RevokeAsync(string keyId);
}
