using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MemorySync.Silo.Failover;

public static class MemorySyncFailoverSiloBuilderExtensions
{
    // The slowest probe period, for replies that are slow; it also sets how long a silo's connection silence must last
    // before votes against it count (times MissedProbesLimit).
    private static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Orleans' membership timing from the <c>Failover</c> section (validated before Orleans starts, see
    /// <see cref="SiloStartup"/>). A killed silo's connections are reset by its kernel, so the survivors' probes fail at
    /// once and the probe period alone decides how soon it is declared dead: with the defaults, three missed probes
    /// 0.6 s apart (1.2 s apart while the silo is new). A silo that is alive but slow keeps its connections, and
    /// Orleans suppresses votes against a silo that sent anything within MaxProbeTimeout x MissedProbesLimit (24 s by
    /// default), so a GC pause or a starved CPU does not get a live silo declared dead by these short probes.
    /// </summary>
    public static ISiloBuilder UseMemorySyncFailover(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<FailoverOptions>().Bind(configuration.GetSection(FailoverOptions.SectionName));
        silo.Services.AddSingleton<IValidateOptions<FailoverOptions>, FailoverOptionsValidator>();
        silo.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<FailoverOptions>>((membership, failover) =>
        {
            membership.ProbeTimeout = failover.Value.ProbeTimeout;
            // Orleans derives it as four times ProbeTimeout; kept at 8 s, so the liveness window below stays 24 s.
            membership.MaxProbeTimeout = MaxProbeTimeout > failover.Value.ProbeTimeout ? MaxProbeTimeout : failover.Value.ProbeTimeout;
            membership.NumMissedProbesLimit = failover.Value.MissedProbesLimit;
            membership.TableRefreshTimeout = failover.Value.TableRefreshPeriod;
            // Orleans' own safeguard against false positives; spelled out because the short probes above rely on it.
            membership.EnableConnectionLivenessCheck = true;
        });
        return silo;
    }
}
