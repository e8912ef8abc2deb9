namespace MemorySync;

/// <summary>Semantic search over every index shard (a stateless worker on each silo).</summary>
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>Top-k memories by meaning, with content read from Redis (PostgreSQL when Redis misses).</summary>
    /// <exception cref="MemoryValidationException">The request is invalid (no query, both queries, wrong dimension, bad k).</exception>
    [ResponseTimeout(CallTimeouts.Search)]
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request);
}
