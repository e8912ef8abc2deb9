using MemorySync.Security;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Silo;

/// <summary>
/// The real silo with a certificate for its HTTP port (Kestrel's settings): the stack's own silo certificate, made for
/// 127.0.0.1 by scripts/certs.sh; the fixture's HTTP clients trust that CA alone.
/// </summary>
public sealed class HttpsSiloFixture : RunningSiloFixture
{
    protected override string HttpScheme => "https";

    protected override IReadOnlyDictionary<string, string> ExtraSiloSettings => new Dictionary<string, string>
    {
        ["MEMSYNC_Kestrel__Certificates__Default__Path"] = ClusterCertificates.CertificateOf(ClusterCertificates.Harness),
        ["MEMSYNC_Kestrel__Certificates__Default__KeyPath"] = ClusterCertificates.KeyOf(ClusterCertificates.Harness),
    };

    protected override HttpMessageHandler CreateHttpHandler()
    {
        var authority = ClusterCertificateAuthority.FromPemFile(ClusterCertificates.Authority);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && authority.RoleOf(certificate) == ClusterRole.Silo,
        };
    }
}
