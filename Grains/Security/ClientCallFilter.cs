using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MemorySync.Security;

/// <summary>
/// Refuses a call from a client outside the cluster unless <see cref="ClientCallPolicy"/> opens the method to the
/// role of the client's certificate. The role was recorded when the client connected to a gateway
/// (<see cref="ConnectedClients"/>); a call that reached this silo through another silo's gateway asks the other
/// silos, and the answer is kept for <see cref="RoleCacheLifetime"/>. A client no silo knows is refused.
/// </summary>
internal sealed class ClientCallFilter(
    ConnectedClients connected, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails silo,
    TimeProvider clock, ILogger<ClientCallFilter> logger) : IIncomingGrainCallFilter
{
    // A client's role never changes while its id lives (one id, one role); the bound only lets the cache forget.
    private static readonly TimeSpan RoleCacheLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ClusterRole Role, DateTimeOffset Until)> _remoteRoles = new(StringComparer.Ordinal);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (ClientIds.ExternalClientOf(context.SourceId) is not { } client)
        {
            await context.Invoke();
            return;
        }

        var grainInterface = context.InterfaceMethod.DeclaringType ?? typeof(object);
        var method = context.InterfaceMethod.Name;
        var role = await RoleOfAsync(client);
        if (role is { } known && ClientCallPolicy.Allows(known, grainInterface, method))
        {
            await context.Invoke();
            return;
        }

        var reason = Refusal(role, ClientCallPolicy.RolesFor(grainInterface, method));
        SecurityLog.CallRefused(logger, grainInterface.Name, method, client, role?.ToString() ?? "unknown", reason);
        throw new CallerNotAllowedException($"{grainInterface.Name}.{method} refused: {reason}");
    }

    private static string Refusal(ClusterRole? role, IReadOnlyList<ClusterRole> allowed) =>
        role is null
            ? "no gateway of the cluster knows this client's certificate (connect with a certificate of the cluster's CA, Tls:ClientCertificate)"
            : allowed.Count == 0
                ? "the method is internal to the cluster; no client may call it"
                : $"it needs a client certificate with role {string.Join(" or ", allowed).ToLowerInvariant()}, and this client's is {role.Value.ToString().ToLowerInvariant()}";

    private async ValueTask<ClusterRole?> RoleOfAsync(string client)
    {
        if (connected.Find(client) is { } local)
        {
            return local;
        }

        var now = clock.GetUtcNow();
        if (_remoteRoles.TryGetValue(client, out var cached) && cached.Until > now)
        {
            return cached.Role;
        }

        var others = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(silo.SiloAddress))
            .Select(member => member.SiloAddress)
            .ToList();
        var answers = await Task.WhenAll(others.Select(other => AskAsync(other, client)));
        if (answers.FirstOrDefault(answer => answer is not null) is { } remote)
        {
            _remoteRoles[client] = (remote, now + RoleCacheLifetime);
            return remote;
        }

        return null;
    }

    private async Task<ClusterRole?> AskAsync(SiloAddress other, string client)
    {
        try
        {
            return await grains.GetGrain<IClientRoleGrain>(other.ToParsableString()).FindAsync(client);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            // A silo that is leaving cannot vouch for anyone; the others (or a refusal) answer.
            SecurityLog.RoleLookupFailed(logger, other.ToString(), client, exception);
            return null;
        }
    }
}
