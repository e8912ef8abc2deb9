using System.Runtime.CompilerServices;
using Npgsql;

namespace MemorySync.Stores;

/// <summary>
/// PostgreSQL read across memories for the vector index: what a shard is built from, what a reindex embeds again, and
/// the content behind a search's matches.
/// </summary>
internal sealed class PostgresIndexSource(NpgsqlDataSource dataSource, PostgresConnectionRecovery recovery) : IIndexSource
{
    public async IAsyncEnumerable<IndexEntry> ReadIndexEntriesAsync(int dimension, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT faiss_label, memory_id, agent_id, memory_type, version, embedding
            FROM episodic_memory WHERE NOT deleted AND embedding IS NOT NULL AND embedding_dim = @dimension
            """);
        command.Parameters.AddWithValue("dimension", dimension);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new IndexEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetFieldValue<float[]>(5));
        }
    }

    public async IAsyncEnumerable<ReindexRow> ReadReindexRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT memory_id, faiss_label, agent_id, memory_type, version, content, embedding, embedding_model
            FROM episodic_memory WHERE NOT deleted
            """);
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new ReindexRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<float[]>(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadContentsAsync(IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default)
    {
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        if (memoryIds.Count == 0)
        {
            return contents;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT memory_id, content FROM episodic_memory WHERE memory_id = ANY(@ids) AND NOT deleted");
        command.Parameters.AddWithValue("ids", memoryIds.ToArray());
        await using var reader = await recovery.RunAsync(command.ExecuteReaderAsync, PostgresRetry.Repeatable, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            contents[reader.GetString(0)] = reader.GetString(1);
        }

        return contents;
    }
}
