using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MemorySync.Security;

namespace MemorySync.Silo.Security;

/// <summary>This silo's certificate and the CA it trusts, read from the files <see cref="ClusterTlsOptions"/> names.</summary>
internal sealed record SiloCertificates(X509Certificate2 Certificate, ClusterCertificateAuthority Authority)
{
    /// <summary>Reads and checks the files; the message of a failure names the setting to fix, never a key's content.</summary>
    public static SiloCertificates Load(ClusterTlsOptions options)
    {
        var ca = Require(options.CaCertificate, "Tls:CaCertificate");
        var certificatePath = Require(options.SiloCertificate, "Tls:SiloCertificate");
        var keyPath = Require(options.SiloKey, "Tls:SiloKey");
        ClusterCertificateAuthority authority;
        try
        {
            authority = ClusterCertificateAuthority.FromPemFile(ca);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Tls:CaCertificate ({ca}) is not a readable PEM certificate: {exception.Message}");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidDataException(
                $"Tls:SiloCertificate ({certificatePath}) and Tls:SiloKey ({keyPath}) are not a readable PEM certificate and its private key: {exception.Message}");
        }

        var role = authority.RoleOf(certificate);
        if (role != ClusterRole.Silo)
        {
            throw new InvalidDataException(role is null
                ? $"Tls:SiloCertificate ({certificatePath}) is not valid under Tls:CaCertificate ({ca}): another CA issued it, or it expired"
                : $"Tls:SiloCertificate ({certificatePath}) carries the role {role} (Subject OU); a silo needs OU=silo");
        }

        return new SiloCertificates(certificate, authority);
    }

    private static string Require(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidDataException(
                $"{setting} is required (environment variable MEMSYNC_{setting.Replace(":", "__", StringComparison.Ordinal)}; scripts/stack.sh writes it into .stack/NAME/env), " +
                "or set Tls:Enabled=false where TLS ends before the silo");
        }

        return File.Exists(path) ? path : throw new InvalidDataException($"{setting}: no file at {path}");
    }
}
