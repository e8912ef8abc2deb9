using System.Security.Cryptography.X509Certificates;

namespace MemorySync.Security;

/// <summary>
/// The one CA whose certificates the cluster accepts, and the role each of them carries. The chain is built against
/// this CA alone (custom root trust): the machine's store is never consulted, so a certificate that any public or
/// corporate CA signed is refused like a self-signed one.
/// </summary>
public sealed class ClusterCertificateAuthority
{
    private const string OrganizationalUnitOid = "2.5.4.11";

    private readonly X509Certificate2 _authority;

    public ClusterCertificateAuthority(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
    }

    /// <summary>Reads the CA certificate (PEM) at <paramref name="path"/>.</summary>
    public static ClusterCertificateAuthority FromPemFile(string path) => new(X509Certificate2.CreateFromPem(File.ReadAllText(path)));

    /// <summary>The certificate's role when this CA issued it and it is valid now; null otherwise.</summary>
    public ClusterRole? RoleOf(X509Certificate2 certificate) => IssuedHere(certificate) ? RoleNamedIn(certificate) : null;

    /// <summary>The role the Subject's OU names, whoever issued the certificate; null when it names none or several.</summary>
    public static ClusterRole? RoleNamedIn(X509Certificate2 certificate)
    {
        ClusterRole? role = null;
        foreach (var name in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (name.GetSingleElementType().Value != OrganizationalUnitOid)
            {
                continue;
            }

            if (role is not null || !Enum.TryParse<ClusterRole>(name.GetSingleElementValue(), ignoreCase: true, out var named) || !Enum.IsDefined(named))
            {
                return null;
            }

            role = named;
        }

        return role;
    }

    private bool IssuedHere(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        // A local CA publishes no revocation list; a real PKI's rotation is by short lifetimes or a new CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            return false;
        }

        // Build succeeds only on a chain that ends at a root of the custom store, which holds this CA alone; checked
        // again so that a change of policy defaults can never widen it.
        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span);
    }
}
