using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Status;

internal sealed class StatusOptionsValidator : IValidateOptions<StatusOptions>
{
    public ValidateOptionsResult Validate(string? name, StatusOptions options) =>
        options.CacheSeconds is < 0 or > 60
            ? ValidateOptionsResult.Fail($"Status:CacheSeconds must be in 0..60 (it is {options.CacheSeconds})")
            : ValidateOptionsResult.Success;
}
