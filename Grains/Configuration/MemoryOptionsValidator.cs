using MemorySync.Model;
using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the memory settings (section <c>Memory</c>) at start-up, naming the setting to fix.</summary>
internal sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryOptions options)
    {
        var failures = new List<string>();
        if (options.MaxIdLength is < 1 or > 512)
        {
            failures.Add("Memory:MaxIdLength must be in 1..512");
        }

        if (options.MaxAgentIdLength is < 1 or > 512)
        {
            failures.Add("Memory:MaxAgentIdLength must be in 1..512");
        }

        if (options.MaxContentBytes < 1 || options.MaxMetadataBytes < 2)
        {
            failures.Add("Memory:MaxContentBytes and Memory:MaxMetadataBytes must be positive");
        }

        if (options.IndexShards < 1 || options.IndexFlushBatchSize < 1 || options.IndexFlushDelayMilliseconds < 0 || options.BatchConcurrency < 1)
        {
            failures.Add("Memory:IndexShards, IndexFlushBatchSize and BatchConcurrency must be positive; IndexFlushDelayMilliseconds must not be negative");
        }

        if (options.MaxBatchItems < 1 || options.MaxBatchBytes < 1 || options.MaxSearchTextBytes < 1)
        {
            failures.Add("Memory:MaxBatchItems, Memory:MaxBatchBytes and Memory:MaxSearchTextBytes must be positive");
        }

        if (options.MaxFilteredSearchCandidates < SearchLimits.MaxK)
        {
            failures.Add($"Memory:MaxFilteredSearchCandidates must be at least {SearchLimits.MaxK} (the largest k)");
        }

        if (options.MaxClockSkew < TimeSpan.Zero || options.MaxClockSkew > TimeSpan.FromDays(1))
        {
            failures.Add("Memory:MaxClockSkew must be in 00:00:00..1.00:00:00");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
