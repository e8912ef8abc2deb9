using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Failover;

/// <summary>Refuses failover settings Orleans would take and then misbehave with (a silo declared dead at once, or never).</summary>
internal sealed class FailoverOptionsValidator : IValidateOptions<FailoverOptions>
{
    // Below this a probe's reply cannot cross a busy machine in time, and every silo would vote every other dead.
    private static readonly TimeSpan ShortestProbeTimeout = TimeSpan.FromMilliseconds(200);

    public ValidateOptionsResult Validate(string? name, FailoverOptions options)
    {
        if (options.ProbeTimeout < ShortestProbeTimeout || options.ProbeTimeout > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"Failover:ProbeTimeout must be between {ShortestProbeTimeout.TotalMilliseconds:0} ms and 5 min, not {options.ProbeTimeout}");
        }

        if (options.MissedProbesLimit is < 1 or > 100)
        {
            return ValidateOptionsResult.Fail($"Failover:MissedProbesLimit must be between 1 and 100, not {options.MissedProbesLimit}");
        }

        return options.TableRefreshPeriod < TimeSpan.FromSeconds(1) || options.TableRefreshPeriod > TimeSpan.FromHours(1)
            ? ValidateOptionsResult.Fail($"Failover:TableRefreshPeriod must be between 1 s and 1 h, not {options.TableRefreshPeriod}")
            : ValidateOptionsResult.Success;
    }
}
