using System.Net;
using System.Security.Cryptography.X509Certificates;
using MemorySync.Client;
using MemorySync.IntegrationTests.Silo;
using MemorySync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace MemorySync.IntegrationTests.Perimeter;

/// <summary>
/// A stock Orleans client, as anyone with the Orleans packages would write one (no MemorySyncClient), pointed at one
/// gateway: what the perimeter has to hold against.
/// </summary>
internal sealed class RawOrleansClient : IAsyncDisposable
{
    private readonly IHost _host;

    private RawOrleansClient(IHost host)
    {
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects to the fixture's silo over TLS, presenting the stack's certificate of <paramref name="role"/>.</summary>
    public static Task<RawOrleansClient> ConnectAsAsync(RunningSiloFixture silo, string role, TimeSpan timeout) =>
        ConnectAsync(silo.GatewayPort, silo.ClusterId, tls: true,
            X509Certificate2.CreateFromPemFile(ClusterCertificates.CertificateOf(role), ClusterCertificates.KeyOf(role)), timeout);

    /// <summary>Connects through the gateway, presenting <paramref name="certificate"/> over TLS, or in plaintext when <paramref name="tls"/> is false.</summary>
    public static async Task<RawOrleansClient> ConnectAsync(int gatewayPort, string clusterId, bool tls, X509Certificate2? certificate, TimeSpan timeout)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = clusterId;
                cluster.ServiceId = new MemorySyncClientOptions().ServiceId;
            });
            if (tls)
            {
                client.UseTls(options =>
                {
                    options.LocalCertificate = certificate;
                    options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
                    // The test is about what the gateway accepts, not about whom the client trusts.
                    options.AllowAnyRemoteCertificate();
                });
            }
        });
        var host = builder.Build();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new RawOrleansClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
