using MemorySync.Configuration;
using MemorySync.Silo.Failover;
using MemorySync.Silo.Metrics;
using MemorySync.Silo.Security;
using Orleans.Dashboard;

namespace MemorySync.Silo;

public static class MemorySyncWebApplicationBuilderExtensions
{
    /// <summary>Kestrel's own setting of the certificate (PEM or PFX) for HTTPS; <c>KeyPath</c> beside it names a PEM key.</summary>
    public const string HttpsCertificateSetting = "Kestrel:Certificates:Default:Path";

    /// <summary>Configuration, the stores, Orleans and metrics: everything the silo process hosts.</summary>
    public static WebApplicationBuilder AddMemorySyncSilo(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(ClusterDefaults.EnvironmentPrefix);
        var host = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var cluster = builder.Configuration.GetSection(ClusterIdentityOptions.SectionName).Get<ClusterIdentityOptions>() ?? new ClusterIdentityOptions();
        var postgres = builder.Configuration.GetSection(PostgresOptions.SectionName).Get<PostgresOptions>() ?? new PostgresOptions();

        // HTTPS as soon as Kestrel has a certificate; Kestrel:Endpoints, when set, replaces this address altogether.
        var scheme = string.IsNullOrEmpty(builder.Configuration[HttpsCertificateSetting]) ? "http" : "https";
        builder.WebHost.UseUrls($"{scheme}://{host.HttpAddress}:{host.HttpPort}");
        builder.Services.AddMemorySync(builder.Configuration);
        // Read above, before the host exists (they configure Kestrel and Orleans); SiloStartup checks them all the same.
        builder.Services.AddValidatedOptions<SiloHostOptions, SiloHostOptionsValidator>(builder.Configuration, SiloHostOptions.SectionName);
        builder.Services.AddValidatedOptions<ClusterIdentityOptions, ClusterIdentityOptionsValidator>(builder.Configuration, ClusterIdentityOptions.SectionName);
        builder.UseOrleans(silo => silo.UseMemorySync(postgres.ConnectionString).UseMemorySyncEndpoints(host, cluster).UseMemorySyncPerimeter(builder.Configuration)
            .UseMemorySyncFailover(builder.Configuration).AddDashboard());
        // Created at once, so that it sees every instrument from the start.
        builder.Services.AddSingleton(new PrometheusExposition());
        return builder;
    }
}
