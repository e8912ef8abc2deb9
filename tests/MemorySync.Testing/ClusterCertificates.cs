using MemorySync.Client;

namespace MemorySync.Testing;

/// <summary>
/// The test stack's cluster certificates (scripts/certs.sh, under .stack/test/tls): silos present the silo one, the
/// CLI the operator one (what .stack/test/env names), and a test's own client whichever role it means to be.
/// </summary>
internal static class ClusterCertificates
{
    private const string TlsPrefix = "MEMSYNC_Tls__";

    /// <summary>The trusted test harness (it stages damage through internal calls) connects as the cluster itself.</summary>
    public const string Harness = "silo";

    public const string Operator = "operator";

    public const string Agent = "agent";

    public static string Directory => Path.Combine(TestStack.StateDirectory, "tls");

    public static string Authority => Path.Combine(Directory, "ca.pem");

    public static string CertificateOf(string role) => Path.Combine(Directory, $"{role}.pem");

    public static string KeyOf(string role) => Path.Combine(Directory, $"{role}-key.pem");

    /// <summary>The options, presenting the certificate of <paramref name="role"/> to the gateway.</summary>
    public static MemorySyncClientOptions Presenting(this MemorySyncClientOptions options, string role)
    {
        options.CaCertificatePath = Authority;
        options.CertificatePath = CertificateOf(role);
        options.KeyPath = KeyOf(role);
        return options;
    }

    /// <summary>
    /// The environment of a child process (a silo, the CLI): only what the test says, plus the stack's Tls settings
    /// unless the test names any of its own, so that every process of a test speaks the cluster's TLS the way
    /// ./run.sh's do, and a test of a refusal can still say exactly what its process presents.
    /// </summary>
    public static void ApplyChildEnvironment(IDictionary<string, string?> target, IReadOnlyDictionary<string, string> environment)
    {
        var inherited = target.Where(setting => setting.Key.StartsWith(TlsPrefix, StringComparison.Ordinal)).ToList();
        foreach (var key in target.Keys.Where(key => key.StartsWith("MEMSYNC_", StringComparison.Ordinal)).ToList())
        {
            target.Remove(key);
        }

        if (!environment.Keys.Any(key => key.StartsWith(TlsPrefix, StringComparison.Ordinal)))
        {
            foreach (var (key, value) in inherited)
            {
                target[key] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            target[key] = value;
        }
    }
}
