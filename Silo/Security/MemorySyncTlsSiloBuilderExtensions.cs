using MemorySync.Security;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace MemorySync.Silo.Security;

public static class MemorySyncTlsSiloBuilderExtensions
{
    /// <summary>
    /// The perimeter of the Orleans ports: mutual TLS from the <c>Tls</c> section's CA (the silo port admits silos
    /// only; the gateway admits operators, agents and silos), each gateway client bound to its certificate's role,
    /// and <see cref="ClientCallFilter"/> on every grain call. Settings are validated before Orleans starts
    /// (<see cref="SiloStartup"/>); the certificates are read when Orleans builds its connections.
    /// </summary>
    public static ISiloBuilder UseMemorySyncPerimeter(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<ClusterTlsOptions>().Bind(configuration.GetSection(ClusterTlsOptions.SectionName));
        silo.Services.AddSingleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidator>();
        silo.Services.AddSingleton<ConnectedClients>();
        silo.Services.AddSingleton<ConnectionPreambleReader>();
        silo.Services.AddSingleton<IIncomingGrainCallFilter, ClientCallFilter>();
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<IOptions<ClusterTlsOptions>>((connections, tls) => Configure(connections, tls.Value));
        return silo;
    }

    private static void Configure(SiloConnectionOptions connections, ClusterTlsOptions tls)
    {
        var certificates = tls.Enabled ? SiloCertificates.Load(tls) : null;
        if (certificates is not null)
        {
            var silosOnly = Tls(certificates, tls.HandshakeTimeout, ClusterRole.Silo);
            // A silo's certificate at the gateway is the cluster itself (its holder could join as a silo anyway): the
            // test harness stages store differences that way.
            var clients = Tls(certificates, tls.HandshakeTimeout, ClusterRole.Operator, ClusterRole.Agent, ClusterRole.Silo);
            connections.ConfigureSiloInboundConnection(builder => builder.UseServerTls(silosOnly));
            connections.ConfigureSiloOutboundConnection(builder => builder.UseClientTls(silosOnly));
            connections.ConfigureGatewayInboundConnection(builder => builder.UseServerTls(clients));
        }

        // After TLS, so that the certificate the handshake accepted is there to read.
        connections.ConfigureGatewayInboundConnection(builder =>
        {
            var middleware = new GatewayClientMiddleware(
                builder.ApplicationServices.GetRequiredService<ConnectedClients>(),
                builder.ApplicationServices.GetRequiredService<ConnectionPreambleReader>(),
                certificates?.Authority,
                tls.HandshakeTimeout,
                builder.ApplicationServices.GetRequiredService<ILogger<GatewayClientMiddleware>>());
            builder.Use(next => connection => middleware.OnConnectionAsync(connection, next));
        });
    }

    // Both sides present a certificate, and the peer's must come from the cluster's CA with one of the roles.
    private static TlsOptions Tls(SiloCertificates certificates, TimeSpan handshakeTimeout, params ClusterRole[] peers) => new()
    {
        LocalCertificate = certificates.Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        HandshakeTimeout = handshakeTimeout,
        // Replaces the machine-store chain check (the chain SslStream built is ignored): this CA or nothing.
        RemoteCertificateValidation = (certificate, _, _) => certificates.Authority.RoleOf(certificate) is { } role && peers.Contains(role),
    };
}
