using System.Diagnostics;
using MemorySync.Model;
using Npgsql;
using StackExchange.Redis;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The raw counterpart of a clean sweep: what an operator without MemorySync would run to audit the stores, reading
/// every memory's version and checksum from PostgreSQL and every Redis hash's (SCAN, then pipelined HMGET), and
/// comparing them here. It cannot see FAISS, which lives in the silo; the sweep compares that too.
/// </summary>
internal sealed class NaiveComparison(NpgsqlDataSource postgres, IConnectionMultiplexer redis, string keyPrefix)
{
    private const int PageSize = 1000;

    public async Task<BenchRow> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var truth = new Dictionary<string, (long Version, string Checksum)>(StringComparer.Ordinal);
        await using (var command = postgres.CreateCommand("SELECT memory_id, version, checksum FROM episodic_memory WHERE NOT deleted"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                truth[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
            }
        }

        var stem = RedisKeyScheme.MemoryKeyStem(keyPrefix);
        var database = redis.GetDatabase();
        var seen = 0;
        var differing = 0;
        foreach (var keys in redis.GetServers()[0].Keys(pattern: stem + "*", pageSize: PageSize).Chunk(PageSize))
        {
            var batch = database.CreateBatch();
            var reads = keys.Select(key => batch.HashGetAsync(key, ["memory_id", "version", "checksum"])).ToArray();
            batch.Execute();
            foreach (var fields in await Task.WhenAll(reads))
            {
                seen++;
                var matches = truth.TryGetValue(fields[0].ToString(), out var expected)
                    && (long)fields[1] == expected.Version && fields[2] == expected.Checksum;
                differing += matches ? 0 : 1;
            }
        }

        differing += Math.Max(0, truth.Count - seen);
        clock.Stop();
        return new BenchRow($"raw: read and compare postgres and redis ({differing} differ)", truth.Count,
            truth.Count / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
    }
}
