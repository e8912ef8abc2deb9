using MemorySync.Keys;

namespace MemorySync.UnitTests.Api;

public sealed class ApiKeySecretsTests
{
    [Fact]
    public void ACreatedKey_ParsesBackToItsId_AndItsSecretMatchesTheStoredHash()
    {
        var (keyId, key, hash) = ApiKeySecrets.Create();

        var (parsedId, secret) = ApiKeySecrets.Parse(key)!.Value;
        Assert.Equal(keyId, parsedId);
        Assert.True(ApiKeySecrets.Matches(secret, hash));
        Assert.False(ApiKeySecrets.Matches(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), hash));
        Assert.DoesNotContain(secret, Convert.ToHexString(hash), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TwoKeys_NeverShareAnIdOrASecret()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecrets.Create()).ToList();

        Assert.Equal(keys.Count, keys.Select(key => key.KeyId).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(key => key.Key).Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer msk_k1_secret")]
    [InlineData("msk_")]
    [InlineData("msk__secret")]
    [InlineData("msk_k1_")]
    [InlineData("sk_k1_secret")]
    [InlineData("msk_k1_secret")]
    [InlineData("msk_K0123456789AB_secret")]
    public void AnythingNotShapedLikeAKey_ParsesAsNone(string? presented) => Assert.Null(ApiKeySecrets.Parse(presented));

    [Fact]
    public void AHugeToken_ParsesAsNone_BeforeAnyHashing() => Assert.Null(ApiKeySecrets.Parse("msk_k1_" + new string('x', 10_000)));

    [Fact]
    public void Scopes_IncludeTheOnesBelowThem()
    {
        Assert.Equal(["read"], ApiScopes.Expand(ApiScope.Read));
        Assert.Equal(["read", "write"], ApiScopes.Expand(ApiScope.Write));
        Assert.Equal(["read", "write", "admin"], ApiScopes.Expand(ApiScope.Admin));
        Assert.Null(ApiScopes.Parse("owner"));
        Assert.Equal(ApiScope.Write, ApiScopes.Parse("write"));
    }
}
