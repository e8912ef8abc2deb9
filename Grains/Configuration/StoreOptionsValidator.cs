using MemorySync.Faiss;
using MemorySync.Model;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Configuration;

/// <summary>Fails start-up with the name of the setting to fix, instead of a NullReferenceException later.</summary>
internal sealed class StoreOptionsValidator :
    IValidateOptions<PostgresOptions>, IValidateOptions<RedisOptions>, IValidateOptions<FaissOptions>, IValidateOptions<MemoryOptions>,
    IValidateOptions<OutboxOptions>, IValidateOptions<ConflictOptions>, IValidateOptions<ConsistencyOptions>
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

        return options.CommandTimeoutSeconds < 1
            ? ValidateOptionsResult.Fail("Postgres:CommandTimeoutSeconds must be at least 1")
            : ValidateOptionsResult.Success;
    }

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

    public ValidateOptionsResult Validate(string? name, FaissOptions options)
    {
        if (options.Dimension < 1)
        {
            return ValidateOptionsResult.Fail("Faiss:Dimension must be positive");
        }

        if (string.IsNullOrWhiteSpace(options.Factory) || options.Factory.Contains("HNSW", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail("Faiss:Factory must name an index that supports removal (for example Flat, SQ8 or IVF1024,Flat; not HNSW)");
        }

        if (options.SnapshotAfterChanges < 1 || options.SnapshotInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Faiss:SnapshotAfterChanges and Faiss:SnapshotInterval must be positive");
        }

        if (options.TrainAfterVectors < 1)
        {
            return ValidateOptionsResult.Fail("Faiss:TrainAfterVectors must be at least 1");
        }

        return options.Threads < 1 ? ValidateOptionsResult.Fail("Faiss:Threads must be at least 1") : ValidateIndexType(options);
    }

    // FAISS is the judge of factory strings and parameters: build an empty index of the type and set each parameter.
    private static ValidateOptionsResult ValidateIndexType(FaissOptions options)
    {
        IReadOnlyList<FaissSearchParameter> parameters;
        try
        {
            parameters = FaissSearchParameter.ParseList(options.SearchParameters);
        }
        catch (FormatException exception)
        {
            return ValidateOptionsResult.Fail($"Faiss:SearchParameters: {exception.Message}");
        }

        FaissIndex index;
        try
        {
            index = FaissIndex.Create(options.Factory, options.Metric, options.Dimension);
        }
        catch (FaissException exception)
        {
            return ValidateOptionsResult.Fail($"Faiss:Factory '{options.Factory}' is not an index FAISS can build: {exception.Message}");
        }

        using (index)
        {
            try
            {
                index.SetParameters(parameters);
                return ValidateOptionsResult.Success;
            }
            catch (FaissException exception)
            {
                return ValidateOptionsResult.Fail($"Faiss:SearchParameters '{options.SearchParameters}' do not apply to {options.Factory}: {exception.Message}");
            }
        }
    }

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

    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.BaseDelay <= TimeSpan.Zero || options.MaxDelay < options.BaseDelay)
        {
            failures.Add("Outbox:PollInterval and Outbox:BaseDelay must be positive, and Outbox:MaxDelay at least Outbox:BaseDelay");
        }

        if (options.WriterGrace < TimeSpan.Zero || options.BatchSize < 1 || options.MaxRetries < 1)
        {
            failures.Add("Outbox:WriterGrace must not be negative; Outbox:BatchSize and Outbox:MaxRetries must be at least 1");
        }

        if (options.Jitter is < 0 or >= 1)
        {
            failures.Add("Outbox:Jitter must be in [0, 1)");
        }

        if (options.RetainCompleted < TimeSpan.Zero)
        {
            failures.Add("Outbox:RetainCompleted must not be negative (zero keeps completed rows forever)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ConflictOptions options) =>
        options.ConcurrentFallback == ConflictStrategy.VersionVector || !Enum.IsDefined(options.ConcurrentFallback) || !Enum.IsDefined(options.DefaultStrategy)
            ? ValidateOptionsResult.Fail("Conflicts:ConcurrentFallback must be LatestWins, Merge or Manual, and Conflicts:DefaultStrategy one of the four strategies")
            : ValidateOptionsResult.Success;

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
