namespace MemorySync.Security;

/// <summary>
/// This silo's gateway connections' clients and the role each proved with its certificate, for as long as a
/// connection is open. A client id is the <c>GrainId</c> the client announced in its connection preamble; one id
/// never holds two roles (a second connection claiming a connected id with another role is refused), so a client
/// cannot borrow a role by announcing the id of a client that holds it.
/// </summary>
internal sealed class ConnectedClients
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ClusterRole Role, int Connections)> _clients = new(StringComparer.Ordinal);

    /// <summary>Records one more connection of the client; false (nothing recorded) when the id is connected with another role.</summary>
    public bool TryAdd(string clientId, ClusterRole role)
    {
        lock (_lock)
        {
            if (_clients.TryGetValue(clientId, out var known))
            {
                if (known.Role != role)
                {
                    return false;
                }

                _clients[clientId] = (role, known.Connections + 1);
                return true;
            }

            _clients[clientId] = (role, 1);
            return true;
        }
    }

    /// <summary>One of the client's connections closed.</summary>
    public void Remove(string clientId)
    {
        lock (_lock)
        {
            if (!_clients.TryGetValue(clientId, out var known))
            {
                return;
            }

            if (known.Connections <= 1)
            {
                _clients.Remove(clientId);
            }
            else
            {
                _clients[clientId] = (known.Role, known.Connections - 1);
            }
        }
    }

    public ClusterRole? Find(string clientId)
    {
        lock (_lock)
        {
            return _clients.TryGetValue(clientId, out var known) ? known.Role : null;
        }
    }
}
