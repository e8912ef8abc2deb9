using MemorySync.Configuration;
using MemorySync.Silo.Metrics;
using MemorySync.Silo.Security;
using Orleans.Dashboard;

namespace MemorySync.Silo;

public static class MemorySyncWebApplicationBuilderExtensions
{
    /// <summary>Configuration, the stores, Orleans and metrics: everything the silo process hosts.</summary>
    public static WebApplicationBuilder AddMemorySyncSilo(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(ClusterDefaults.EnvironmentPrefix);
        var host = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var cluster = builder.Configuration.GetSection(ClusterIdentityOptions.SectionName).Get<ClusterIdentityOptions>() ?? new ClusterIdentityOptions();
        var postgres = builder.Configuration.GetSection(PostgresOptions.SectionName).Get<PostgresOptions>() ?? new PostgresOptions();

        builder.WebHost.UseUrls($"http://{host.HttpAddress}:{host.HttpPort}");
        builder.Services.AddMemorySyncStores(builder.Configuration);
        builder.UseOrleans(silo => silo.UseMemorySync(postgres.ConnectionString).UseMemorySyncEndpoints(host, cluster).UseMemorySyncPerimeter(builder.Configuration)
            .AddDashboard());
        // Created at once, so that it sees every instrument from the start.
        builder.Services.AddSingleton(new PrometheusExposition());
        return builder;
    }
}
