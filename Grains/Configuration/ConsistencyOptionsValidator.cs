using MemorySync.Model;
using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the sweep settings (section <c>Consistency</c>) at start-up, naming the setting to fix.</summary>
internal sealed class ConsistencyOptionsValidator : IValidateOptions<ConsistencyOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsistencyOptions options)
    {
        var failures = new List<string>();
        if (options.Partitions is < 1 or > SweepHash.RangeCount)
        {
            failures.Add($"Consistency:Partitions must be in 1..{SweepHash.RangeCount}");
        }

        if (options.SweepPeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add("Consistency:SweepPeriod must be at least 1 second");
        }

        if (options.MaxMemoriesPerSecond < 1 || options.ScanBatchSize < 1 || options.RangesPerStep < 1)
        {
            failures.Add("Consistency:MaxMemoriesPerSecond, ScanBatchSize and RangesPerStep must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
