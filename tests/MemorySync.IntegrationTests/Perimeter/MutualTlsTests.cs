using System.Security.Cryptography.X509Certificates;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>
/// The Orleans gateway of the real silo process admits only clients presenting a certificate of the cluster's CA
/// (scripts/certs.sh): tried with a stock Orleans client and with the memsync CLI as real processes would.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(RunningSiloCollection.Name)]
public sealed class MutualTlsTests(RunningSiloFixture silo)
{
    // Long enough for a real connection on a busy machine; a refused client fails within it.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CliDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Gateway_RefusesAPlaintextClient_AndATlsClientWithoutACertificate_AndTheSiloStaysUp()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => RawOrleansClient.ConnectAsync(silo.GatewayPort, silo.ClusterId, tls: false, certificate: null, ConnectTimeout));
        await Assert.ThrowsAnyAsync<Exception>(() => RawOrleansClient.ConnectAsync(silo.GatewayPort, silo.ClusterId, tls: true, certificate: null, ConnectTimeout));

        Assert.False(silo.Silo.HasExited, $"the silo died: {silo.Silo.Error}");
        await using var agent = await RawOrleansClient.ConnectAsAsync(silo, ClusterCertificates.Agent, ConnectTimeout);
        Assert.NotNull(await agent.Grains.GetGrain<IHealthGrain>(0).CheckAsync());
    }

    [Fact]
    public async Task Gateway_RefusesACertificateOfAnotherCa_ThatOtherwiseLooksLikeTheOperators()
    {
        using var foreign = await ForeignCertificateAuthority.CreateAsync();
        using var certificate = X509Certificate2.CreateFromPemFile(foreign.OperatorCertificate, foreign.OperatorKey);

        await Assert.ThrowsAnyAsync<Exception>(() => RawOrleansClient.ConnectAsync(silo.GatewayPort, silo.ClusterId, tls: true, certificate, ConnectTimeout));
    }

    [Fact]
    public async Task MemsyncCli_WithoutACertificate_OrWithOneOfAnotherCa_IsRefused_AndWithTheOperatorsItWorks()
    {
        using var foreign = await ForeignCertificateAuthority.CreateAsync();
        var plaintext = await RunCliAsync(new() { ["MEMSYNC_Tls__Enabled"] = "false" }, "stats", "--json");
        var foreignCa = await RunCliAsync(new()
        {
            ["MEMSYNC_Tls__CaCertificate"] = ClusterCertificates.Authority,
            ["MEMSYNC_Tls__ClientCertificate"] = foreign.OperatorCertificate,
            ["MEMSYNC_Tls__ClientKey"] = foreign.OperatorKey,
        }, "stats", "--json");
        var unset = await RunCliAsync(new() { ["MEMSYNC_Tls__CaCertificate"] = ClusterCertificates.Authority }, "stats", "--json");
        // Without Tls settings of its own the CLI gets the stack's: the CA and the operator's certificate.
        var operatorCli = await RunCliAsync([], "stats", "--json");

        Assert.Equal((3, ""), (plaintext.ExitCode, plaintext.Output));
        Assert.Contains("no MemorySync silo answered", plaintext.Error, StringComparison.Ordinal);
        Assert.Equal((3, ""), (foreignCa.ExitCode, foreignCa.Output));
        Assert.Equal(3, unset.ExitCode);
        Assert.Contains("Tls:ClientCertificate is not set", unset.Error, StringComparison.Ordinal);
        Assert.True(operatorCli.ExitCode == 0, operatorCli.Error);
        Assert.Contains("\"total_memories\"", operatorCli.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys create --scope admin --json")]
    [InlineData("outbox retry --store all --json")]
    public async Task MemsyncCli_WithAnAgentsCertificate_IsRefusedOperatorCommands_NamingTheRole(string command)
    {
        var agentCli = await RunCliAsync(new()
        {
            ["MEMSYNC_Tls__CaCertificate"] = ClusterCertificates.Authority,
            ["MEMSYNC_Tls__ClientCertificate"] = ClusterCertificates.CertificateOf(ClusterCertificates.Agent),
            ["MEMSYNC_Tls__ClientKey"] = ClusterCertificates.KeyOf(ClusterCertificates.Agent),
        }, command.Split(' '));

        Assert.Equal((6, ""), (agentCli.ExitCode, agentCli.Output));
        Assert.Contains("needs a client certificate with role operator, and this client's is agent", agentCli.Error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunCliAsync(Dictionary<string, string> tls, params string[] arguments)
    {
        var environment = new Dictionary<string, string>(silo.Environment);
        foreach (var (key, value) in tls)
        {
            environment[key] = value;
        }

        await using var cli = DotnetProcess.Start(RepoPaths.CliDll, environment, arguments);
        var exitCode = await cli.WaitForExitAsync(CliDeadline);
        return (exitCode, cli.Output.Trim(), cli.Error);
    }
}
