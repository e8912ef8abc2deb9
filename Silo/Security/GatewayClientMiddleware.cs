using MemorySync.Security;
using Microsoft.AspNetCore.Connections;
using Orleans.Connections.Security;

namespace MemorySync.Silo.Security;

/// <summary>
/// Runs on every gateway connection after the TLS handshake: binds the client id the connection announces to the
/// role of the certificate it presented (<see cref="ConnectedClients"/>), for the connection's lifetime, so that
/// <see cref="ClientCallFilter"/> can judge each call. A connection without a role, or announcing an id that is not
/// an external client's (a grain's, the silo's hosted client's) or that is connected with another role, is closed
/// before Orleans reads a byte of it.
/// </summary>
internal sealed class GatewayClientMiddleware(
    ConnectedClients clients, ConnectionPreambleReader preambles, ClusterCertificateAuthority? authority, TimeSpan preambleTimeout,
    ILogger<GatewayClientMiddleware> logger)
{
    // With TLS switched off no certificate names a role: whoever reaches the gateway was let in by what ends TLS.
    private const ClusterRole RoleWithoutTls = ClusterRole.Operator;

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var remote = connection.RemoteEndPoint?.ToString() ?? "unknown";
        var role = RoleOf(connection);
        if (role is null)
        {
            SecurityLog.ConnectionRefused(logger, remote, "its certificate names no role (Subject OU silo, operator or agent)");
            return;
        }

        GrainId? announced;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(preambleTimeout);
            try
            {
                announced = await preambles.PeekNodeIdentityAsync(connection.Transport.Input, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                announced = null;
            }
        }

        var client = announced is { } id ? ClientIds.AnnouncedClient(id) : null;
        if (client is null)
        {
            SecurityLog.ConnectionRefused(logger, remote, $"it announced {announced?.ToString() ?? "no valid preamble"}, not an external client's id");
            return;
        }

        if (!clients.TryAdd(client, role.Value))
        {
            SecurityLog.ConnectionRefused(logger, remote, $"client {client} is connected with another role");
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            clients.Remove(client);
        }
    }

    private ClusterRole? RoleOf(ConnectionContext connection)
    {
        if (authority is null)
        {
            return RoleWithoutTls;
        }

        // The handshake already checked the chain (SiloTls); the role is read again from what it accepted.
        return connection.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate is { } certificate ? authority.RoleOf(certificate) : null;
    }
}
