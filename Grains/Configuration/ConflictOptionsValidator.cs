using Microsoft.Extensions.Options;

namespace MemorySync.Configuration;

/// <summary>Checks the conflict settings (section <c>Conflicts</c>) at start-up, naming the setting to fix.</summary>
internal sealed class ConflictOptionsValidator : IValidateOptions<ConflictOptions>
{
    public ValidateOptionsResult Validate(string? name, ConflictOptions options) =>
        options.ConcurrentFallback == ConflictStrategy.VersionVector || !Enum.IsDefined(options.ConcurrentFallback) || !Enum.IsDefined(options.DefaultStrategy)
            ? ValidateOptionsResult.Fail("Conflicts:ConcurrentFallback must be LatestWins, Merge or Manual, and Conflicts:DefaultStrategy one of the four strategies")
            : ValidateOptionsResult.Success;
}
