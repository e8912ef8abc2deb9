using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MemorySync.Security;
using Orleans.Connections.Security;

namespace MemorySync.Client;

/// <summary>The client's side of mutual TLS: its certificate from the options' files, and the gateway's checked against the cluster's CA.</summary>
internal static class ClientTls
{
    /// <summary>The TLS settings of the Orleans client, or an exception whose message names the setting to fix.</summary>
    public static Action<TlsOptions> From(MemorySyncClientOptions options)
    {
        var caPath = Require(options.CaCertificatePath, "Tls:CaCertificate");
        var certificatePath = Require(options.CertificatePath, "Tls:ClientCertificate");
        var keyPath = Require(options.KeyPath, "Tls:ClientKey");
        ClusterCertificateAuthority authority;
        X509Certificate2 certificate;
        try
        {
            authority = ClusterCertificateAuthority.FromPemFile(caPath);
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ClusterUnreachableException(
                $"Tls:CaCertificate ({caPath}), Tls:ClientCertificate ({certificatePath}) and Tls:ClientKey ({keyPath}) must be readable PEM files: {exception.Message}",
                exception);
        }

        return tls =>
        {
            tls.LocalCertificate = certificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            // This CA, never the machine's store; and the gateway must be a silo, not another client.
            tls.RemoteCertificateValidation = (gateway, _, _) => authority.RoleOf(gateway) == ClusterRole.Silo;
        };
    }

    private static string Require(string? path, string setting) =>
        !string.IsNullOrWhiteSpace(path)
            ? path
            : throw new ClusterUnreachableException(
                $"{setting} is not set (environment variable MEMSYNC_{setting.Replace(":", "__", StringComparison.Ordinal)}; the local stack's .stack/NAME/env sets it), " +
                "and the cluster's gateways take TLS clients only; Tls:Enabled=false connects in plaintext where TLS ends before the silos");
}
