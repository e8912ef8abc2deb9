using System.Diagnostics;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>
/// A CA of the test's own, made with openssl in a temporary folder, that issues certificates looking exactly like the
/// cluster's (O=MemorySync, OU=operator): only the issuer differs, so a refusal can only come from the chain check.
/// </summary>
internal sealed class ForeignCertificateAuthority : IDisposable
{
    private ForeignCertificateAuthority(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string OperatorCertificate => Path.Combine(Directory, "operator.pem");

    public string OperatorKey => Path.Combine(Directory, "operator-key.pem");

    public string Authority => Path.Combine(Directory, "ca.pem");

    public static async Task<ForeignCertificateAuthority> CreateAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("memsync-foreign-ca-").FullName;
        var authority = new ForeignCertificateAuthority(directory);
        await OpensslAsync(directory, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca-key.pem");
        await OpensslAsync(directory, "req", "-x509", "-new", "-key", "ca-key.pem", "-sha256", "-days", "2", "-subj", "/O=MemorySync/CN=Another CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out", "ca.pem");
        await OpensslAsync(directory, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "operator-key.pem");
        await OpensslAsync(directory, "req", "-new", "-key", "operator-key.pem", "-subj", "/O=MemorySync/OU=operator/CN=memsync-operator-test", "-out", "operator.csr");
        await File.WriteAllTextAsync(Path.Combine(directory, "leaf.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n");
        await OpensslAsync(directory, "x509", "-req", "-in", "operator.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-sha256", "-days", "2",
            "-extfile", "leaf.ext", "-out", "operator.pem");
        return authority;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static async Task OpensslAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed: {await error}");
        }
    }
}
