using Microsoft.Extensions.Options;
using Npgsql;

namespace MemorySync.Configuration;

/// <summary>Checks the PostgreSQL settings (section <c>Postgres</c>) at start-up, naming the setting to fix.</summary>
internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Postgres:ConnectionString is required (environment variable MEMSYNC_Postgres__ConnectionString)");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            // The message of the parser could echo the string, password included: name the setting only.
            return ValidateOptionsResult.Fail("Postgres:ConnectionString is not a valid Npgsql connection string");
        }

        if (options.MinPoolSize < 0 || options.MaxPoolSize < 1 || options.MinPoolSize > options.MaxPoolSize)
        {
            return ValidateOptionsResult.Fail("Postgres:MinPoolSize and Postgres:MaxPoolSize must satisfy 0 <= min <= max, max >= 1");
        }

        if (options.GroupCommitConnections < 1 || options.GroupCommitConnections >= options.MaxPoolSize || options.GroupCommitMaxStatements < 1)
        {
            return ValidateOptionsResult.Fail(
                "Postgres:GroupCommitConnections must be at least 1 and below Postgres:MaxPoolSize, and Postgres:GroupCommitMaxStatements at least 1");
        }

        if (options.GroupCommitMaxQueued < options.GroupCommitMaxStatements)
        {
            return ValidateOptionsResult.Fail("Postgres:GroupCommitMaxQueued must be at least Postgres:GroupCommitMaxStatements");
        }

        if (options.StrictTransactionIdleSeconds < 1)
        {
            return ValidateOptionsResult.Fail("Postgres:StrictTransactionIdleSeconds must be at least 1");
        }

        return options.CommandTimeoutSeconds < 1
            ? ValidateOptionsResult.Fail("Postgres:CommandTimeoutSeconds must be at least 1")
            : ValidateOptionsResult.Success;
    }
}
