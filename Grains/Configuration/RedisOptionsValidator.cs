using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MemorySync.Configuration;

/// <summary>Checks the Redis settings (section <c>Redis</c>) at start-up, naming the setting to fix.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Redis:ConnectionString is required (environment variable MEMSYNC_Redis__ConnectionString)");
        }

        try
        {
            _ = ConfigurationOptions.Parse(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail("Redis:ConnectionString is not a valid StackExchange.Redis configuration string");
        }

        return string.IsNullOrWhiteSpace(options.KeyPrefix)
            ? ValidateOptionsResult.Fail("Redis:KeyPrefix must not be empty")
            : ValidateOptionsResult.Success;
    }
}
