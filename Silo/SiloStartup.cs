using System.Globalization;
using MemorySync.Clock;
using MemorySync.Configuration;
using MemorySync.Faiss;
using MemorySync.Migrations;
using MemorySync.Silo.Security;
using MemorySync.Stores;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo;

/// <summary>
/// What must hold before Orleans starts: valid settings, both stores reachable, the schema migrated. Each failure is
/// printed with what to fix and where the silo looked, and the process exits non-zero instead of half-starting.
/// </summary>
public static class SiloStartup
{
    public const int ExitCodeConfiguration = 2;
    public const int ExitCodeStoreUnreachable = 3;
    public const int ExitCodeClockSkewed = 4;

    private static readonly TimeSpan ReachabilityTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Returns 0 when the silo may start, else the exit code to leave with.</summary>
    public static async Task<int> PrepareAsync(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloStartup).FullName!);
        // Every settings section, each failure of each one reported, so that one start names every mistake.
        var failures = new List<string>();
        T? Read<T>()
            where T : class
        {
            try
            {
                return app.Services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException exception)
            {
                failures.AddRange(exception.Failures);
                return null;
            }
        }

        var postgres = Read<PostgresOptions>();
        var redis = Read<RedisOptions>();
        var faiss = Read<FaissOptions>();
        Read<SiloHostOptions>();
        Read<ClusterIdentityOptions>();
        Read<MemoryOptions>();
        Read<OutboxOptions>();
        Read<ConflictOptions>();
        Read<ConsistencyOptions>();
        Read<HealthOptions>();
        Read<Api.ApiOptions>();
        Read<Status.StatusOptions>();
        Read<Metrics.MetricsOptions>();
        Read<ClusterTlsOptions>();
        Read<Failover.FailoverOptions>();
        if (postgres is null || redis is null || faiss is null || failures.Count > 0)
        {
            foreach (var failure in failures)
            {
                SiloLog.InvalidSetting(logger, failure);
                await Console.Error.WriteLineAsync($"error: {failure}");
            }

            return ExitCodeConfiguration;
        }

        var problems = await StoreReachability.FindUnreachableAsync(postgres, redis, ReachabilityTimeout);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                SiloLog.StoreUnreachable(logger, problem);
                await Console.Error.WriteLineAsync($"error: {problem}");
            }

            return ExitCodeStoreUnreachable;
        }

        FaissIndex.SetThreadCount(faiss.Threads);
        await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync();
        return await CheckClockAsync(app, logger);
    }

    // MemorySync's own stamps read PostgreSQL's clock (ClockAnchor), but Orleans' membership compares the silos' wall
    // clocks: a silo minutes behind is declared dead by the others while it joins ("I have been told I am dead"), one
    // ahead keeps stale votes alive. Refused here, with the offset, before Orleans starts.
    private static async Task<int> CheckClockAsync(WebApplication app, ILogger logger)
    {
        var reading = await app.Services.GetRequiredService<ClockAnchor>().AnchorAsync();
        var maxSkew = app.Services.GetRequiredService<IOptions<MemoryOptions>>().Value.MaxClockSkew;
        if (reading.LocalOffset.Duration() <= maxSkew)
        {
            return 0;
        }

        var problem = string.Create(CultureInfo.InvariantCulture,
            $"this machine's clock is {Math.Abs(reading.LocalOffset.TotalSeconds):F1} s {(reading.LocalOffset > TimeSpan.Zero ? "ahead of" : "behind")} PostgreSQL's " +
            $"(at most Memory:MaxClockSkew, {maxSkew.TotalSeconds:F0} s, is allowed): the silos' membership needs their clocks to agree; fix the machine's time sync (NTP) and start the silo again");
        SiloLog.ClockSkewed(logger, problem);
        await Console.Error.WriteLineAsync($"error: {problem}");
        return ExitCodeClockSkewed;
    }
}
