using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes < 1024)
        {
            failures.Add($"Api:MaxBodyBytes must be at least 1024 (it is {options.MaxBodyBytes})");
        }

        if (options.MaxBatchItems < 1)
        {
            failures.Add($"Api:MaxBatchItems must be at least 1 (it is {options.MaxBatchItems})");
        }

        if (options.RequestsPerSecond < 1 || options.RequestBurst < 1)
        {
            failures.Add($"Api:RequestsPerSecond and Api:RequestBurst must be at least 1 (they are {options.RequestsPerSecond}, {options.RequestBurst})");
        }

        if (options.KeyCacheSeconds is < 0 or > 300)
        {
            failures.Add($"Api:KeyCacheSeconds must be in 0..300 (it is {options.KeyCacheSeconds})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
