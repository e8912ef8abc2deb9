using System.Net;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo;

/// <summary>Checks where the silo listens (section <c>Silo</c>) before Orleans starts, naming the setting to fix.</summary>
internal sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort), ("HttpPort", options.HttpPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"Silo:{setting} must be a port in 1..65535, not {port}");
            }
        }

        if (options.SiloPort == options.GatewayPort || options.SiloPort == options.HttpPort || options.GatewayPort == options.HttpPort)
        {
            failures.Add("Silo:SiloPort, Silo:GatewayPort and Silo:HttpPort must be three different ports");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"Silo:AdvertisedAddress must be an IP address (other silos and clients connect to it), not '{options.AdvertisedAddress}'");
        }

        if (options.HttpAddress != "localhost" && !IPAddress.TryParse(options.HttpAddress, out _))
        {
            failures.Add($"Silo:HttpAddress must be an IP address or localhost, not '{options.HttpAddress}'");
        }

        if (options.MinimumReminderPeriod <= TimeSpan.Zero)
        {
            failures.Add("Silo:MinimumReminderPeriod must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
