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

    private static readonly TimeSpan ReachabilityTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Returns 0 when the silo may start, else the exit code to leave with.</summary>
    public static async Task<int> PrepareAsync(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloStartup).FullName!);
        PostgresOptions postgres;
        RedisOptions redis;
        FaissOptions faiss;
        try
        {
            postgres = app.Services.GetRequiredService<IOptions<PostgresOptions>>().Value;
            redis = app.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
            faiss = app.Services.GetRequiredService<IOptions<FaissOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<Failover.FailoverOptions>>().Value;
        }
        catch (OptionsValidationException exception)
        {
            foreach (var failure in exception.Failures)
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
        return 0;
    }
}
