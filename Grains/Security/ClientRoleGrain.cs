using MemorySync.Stats;
using Orleans.Concurrency;

namespace MemorySync.Security;

/// <summary>Answers, for its own silo, which role a client connected to this silo's gateway holds.</summary>
[SiloPinnedPlacement, Reentrant]
internal sealed class ClientRoleGrain(ConnectedClients clients) : Grain, IClientRoleGrain
{
    public Task<ClusterRole?> FindAsync(string clientId) => Task.FromResult(clients.Find(clientId));
}
