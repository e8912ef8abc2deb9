using MemorySync.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
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
        builder.UseOrleans(silo => silo.UseMemorySync(postgres.ConnectionString).UseMemorySyncEndpoints(host, cluster).AddDashboard());
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("memorysync-silo", serviceInstanceId: $"{host.AdvertisedAddress}:{host.SiloPort}"))
            .WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans")
            .AddMeter("MemorySync")
            .AddPrometheusExporter());
        return builder;
    }
}
