namespace MemorySync.Silo.Security;

/// <summary>
/// Mutual TLS on the silo-to-silo and gateway ports (section <c>Tls</c>, environment <c>MEMSYNC_Tls__*</c>).
/// scripts/stack.sh writes the local stack's paths into .stack/NAME/env; a user with their own PKI points them at
/// certificates whose Subject OU names the role (silo, operator, agent).
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string SectionName = "Tls";

    /// <summary>
    /// On unless switched off for a deployment that ends TLS elsewhere; then every client that reaches the gateway is
    /// treated as an operator (internal methods stay refused to it) and silos talk in plaintext.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>PEM certificate of the one CA whose certificates silos and clients must present.</summary>
    public string? CaCertificate { get; set; }

    /// <summary>PEM certificate of this silo (Subject OU=silo), issued by <see cref="CaCertificate"/>.</summary>
    public string? SiloCertificate { get; set; }

    /// <summary>PEM private key of <see cref="SiloCertificate"/>.</summary>
    public string? SiloKey { get; set; }

    /// <summary>How long a peer may take to finish the TLS handshake before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
