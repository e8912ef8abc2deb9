using System.Globalization;
using MemorySync.Client;
using Npgsql;

namespace MemorySync.FaultTests.Checking;

/// <summary>
/// Once the stores agree, every memory the workload wrote is read back through the client, as its writers would read
/// it afterwards: each read must return the version PostgreSQL holds (nothing for a deleted memory), and must answer.
/// </summary>
internal static class ReadBack
{
    /// <summary>Each memory whose read differs from PostgreSQL, with both sides; empty when every read agrees.</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(MemorySyncClient client, NpgsqlDataSource postgres, IReadOnlyCollection<string> memoryIds)
    {
        var differences = new List<string>();
        foreach (var memoryId in memoryIds)
        {
            MemoryRecord? read;
            try
            {
                read = await client.GetAsync(memoryId);
            }
            catch (Exception exception) when (exception is TimeoutException or Orleans.Runtime.OrleansException or StoreUnavailableException)
            {
                // Named per memory, so a read that keeps failing says which memory and why rather than only "not yet".
                differences.Add($"{memoryId}: read failed ({exception.GetType().Name}: {exception.Message})");
                continue;
            }

            var held = await LiveVersionAsync(postgres, memoryId);
            if (read?.Version != held)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{memoryId}: read {(read is null ? "nothing" : $"v{read.Version}")}, PostgreSQL holds {(held is null ? "nothing live" : $"v{held}")}"));
            }
        }

        return differences;
    }

    private static async Task<long?> LiveVersionAsync(NpgsqlDataSource postgres, string memoryId)
    {
        await using var command = postgres.CreateCommand("SELECT version FROM episodic_memory WHERE memory_id = $1 AND NOT deleted");
        command.Parameters.Add(new NpgsqlParameter { Value = memoryId });
        return await command.ExecuteScalarAsync() is long version ? version : null;
    }
}
