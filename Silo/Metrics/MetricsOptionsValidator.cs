using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Metrics;

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public const int MinimumTokenLength = 16;

    // The message gives the token's length, never the token.
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.ScrapeToken.Length is > 0 and < MinimumTokenLength
            ? ValidateOptionsResult.Fail($"Metrics:ScrapeToken must be empty or at least {MinimumTokenLength} characters (it has {options.ScrapeToken.Length}); e.g. openssl rand -hex 32")
            : ValidateOptionsResult.Success;
}
