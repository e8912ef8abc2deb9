using MemorySync.Stores;
using Npgsql;

namespace MemorySync.Consistency;

/// <summary>PostgreSQL's side of a sweep: what each range should hold, from the stored tokens of sql/0003.</summary>
internal sealed class PostgresSweepSource(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery)
{
    /// <summary>Per range in [first, end): the digests Redis and FAISS should have, and how many memories each should hold.</summary>
    public async Task<Dictionary<int, ExpectedDigests>> DigestAsync(int first, int end, int dimension, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sweep_range,
                   coalesce(bit_xor(redis_token), 0), count(redis_token),
                   coalesce(bit_xor(faiss_token) FILTER (WHERE embedding_dim = @dimension), 0),
                   count(faiss_token) FILTER (WHERE embedding_dim = @dimension),
                   count(*)
            FROM episodic_memory
            WHERE sweep_range >= @first AND sweep_range < @end
            GROUP BY sweep_range
            """);
        command.Parameters.AddWithValue("first", first);
        command.Parameters.AddWithValue("end", end);
        command.Parameters.AddWithValue("dimension", dimension);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        var digests = new Dictionary<int, ExpectedDigests>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            digests[reader.GetInt32(0)] = new ExpectedDigests(
                new RangeDigest(reader.GetInt32(0), reader.GetInt32(1), (int)reader.GetInt64(2)),
                new RangeDigest(reader.GetInt32(0), reader.GetInt32(3), (int)reader.GetInt64(4)),
                reader.GetInt64(5));
        }

        return digests;
    }

    /// <summary>Every row (tombstones included) in the given ranges, as the sweep compares them.</summary>
    public async Task<Dictionary<string, TruthRow>> ReadRangesAsync(IReadOnlyCollection<int> ranges, int dimension,
        CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, TruthRow>(StringComparer.Ordinal);
        if (ranges.Count == 0)
        {
            return rows;
        }

        await using var command = dataSource.CreateCommand("""
            SELECT memory_id, version, checksum, deleted, faiss_label,
                   embedding IS NOT NULL AND embedding_dim = @dimension, sweep_range
            FROM episodic_memory WHERE sweep_range = ANY(@ranges)
            """);
        command.Parameters.AddWithValue("ranges", ranges.ToArray());
        command.Parameters.AddWithValue("dimension", dimension);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new TruthRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3),
                reader.GetInt64(4), reader.GetBoolean(5), reader.GetInt32(6));
            rows[row.MemoryId] = row;
        }

        return rows;
    }
}

/// <summary>What PostgreSQL says one range of Redis and of FAISS should digest to.</summary>
internal sealed record ExpectedDigests(RangeDigest Redis, RangeDigest Faiss, long Rows);

/// <summary>A memory's row as a sweep needs it: the version and checksum every store should hold.</summary>
internal sealed record TruthRow(string MemoryId, long Version, string Checksum, bool Deleted, long Label, bool Indexable, int Range)
{
    /// <summary>Whether Redis should hold the memory.</summary>
    public bool Live => !Deleted;

    /// <summary>Whether the FAISS index should hold a vector for it.</summary>
    public bool Indexed => !Deleted && Indexable;
}
