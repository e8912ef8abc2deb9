using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the health monitor's settings (section <c>Health</c>) at start-up, naming the setting to fix.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        var failures = new List<string>();
        if (options.Interval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add("Health:Interval must be at least 100 ms (every store is probed that often)");
        }

        if (options.DegradedAfterFailures < 1 || options.UnhealthyAfterFailures < options.DegradedAfterFailures)
        {
            failures.Add("Health:DegradedAfterFailures must be at least 1, and Health:UnhealthyAfterFailures at least as many");
        }

        if (options.Window < 1)
        {
            failures.Add("Health:Window must be at least 1 probe");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
