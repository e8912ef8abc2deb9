using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the failpoint settings at start-up: a misspelt point would never fire, and its test would pass for nothing.</summary>
internal sealed class FailpointOptionsValidator : IValidateOptions<FailpointOptions>
{
    public ValidateOptionsResult Validate(string? name, FailpointOptions options)
    {
        if (options.Point is { } point && !FailpointNames.All.Contains(point, StringComparer.Ordinal))
        {
            return ValidateOptionsResult.Fail($"Failpoints:Point '{point}' is not one of {string.Join(", ", FailpointNames.All)}");
        }

        return options.AtHit < 1 ? ValidateOptionsResult.Fail("Failpoints:AtHit must be at least 1") : ValidateOptionsResult.Success;
    }
}
