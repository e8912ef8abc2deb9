using System.Globalization;
using System.Security.Claims;
using MemorySync.Keys;

namespace MemorySync.Silo.Access;

/// <summary>Who is calling: the API key's id, scope and agents, as the authentication handler put them on the user.</summary>
public sealed record ApiCaller(string KeyId, ApiScope Scope, IReadOnlyList<string> Agents, int? RequestsPerSecond = null)
{
    public const string KeyIdClaim = "memsync:key_id";
    public const string ScopeClaim = "memsync:scope";
    public const string AgentClaim = "memsync:agent";
    public const string RateClaim = "memsync:requests_per_second";

    /// <summary>The agents this caller is bound to, or null for an admin key (every agent).</summary>
    public IReadOnlyList<string>? BoundAgents => Scope == ApiScope.Admin ? null : Agents;

    public bool Allows(ApiScope needed) => Scope >= needed;

    public bool Sees(string agentId) => BoundAgents is null || BoundAgents.Contains(agentId, StringComparer.Ordinal);

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(KeyIdClaim, KeyId),
            new Claim(ScopeClaim, ((int)Scope).ToString(CultureInfo.InvariantCulture)),
            .. Agents.Select(agent => new Claim(AgentClaim, agent)),
            .. RequestsPerSecond is { } rate ? [new Claim(RateClaim, rate.ToString(CultureInfo.InvariantCulture))] : Array.Empty<Claim>(),
        ],
        scheme));

    /// <summary>The caller of an authenticated request (the handler always sets these claims).</summary>
    public static ApiCaller From(ClaimsPrincipal user) =>
        TryFrom(user) ?? throw new InvalidOperationException("the request was not authenticated with an API key");

    /// <summary>The caller, or null when the request carried no valid key.</summary>
    public static ApiCaller? TryFrom(ClaimsPrincipal user) =>
        user.FindFirstValue(KeyIdClaim) is { } keyId && user.FindFirstValue(ScopeClaim) is { } scope
            ? new ApiCaller(keyId, (ApiScope)int.Parse(scope, CultureInfo.InvariantCulture), user.FindAll(AgentClaim).Select(claim => claim.Value).ToList(),
                user.FindFirstValue(RateClaim) is { } rate ? int.Parse(rate, CultureInfo.InvariantCulture) : null)
            : null;
}
