namespace MemorySync.Security;

/// <summary>
/// One per silo (keyed by the silo's address): the roles of the external clients connected to that silo's gateway,
/// so that a silo receiving a client's call through another silo's gateway can learn the caller's role. Internal:
/// no client may call it.
/// </summary>
public interface IClientRoleGrain : IGrainWithStringKey
{
    /// <summary>The role of the client connected here with this id (its <c>GrainId</c> as text), or null.</summary>
    Task<ClusterRole?> FindAsync(string clientId);
}
