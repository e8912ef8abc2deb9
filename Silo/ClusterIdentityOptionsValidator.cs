using Microsoft.Extensions.Options;

namespace MemorySync.Silo;

/// <summary>Checks the cluster's identity (section <c>Cluster</c>) before Orleans starts, naming the setting to fix.</summary>
internal sealed class ClusterIdentityOptionsValidator : IValidateOptions<ClusterIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterIdentityOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, value) in new[] { ("ClusterId", options.ClusterId), ("ServiceId", options.ServiceId) })
        {
            // Both name the membership table's key in Redis, which clients look up by the same values.
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
            {
                failures.Add($"Cluster:{setting} must be a non-empty name without spaces, not '{value}'");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
