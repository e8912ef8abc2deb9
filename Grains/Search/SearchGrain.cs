using System.Text;
using MemorySync.Configuration;
using MemorySync.Embeddings;
using MemorySync.Model;
using MemorySync.Stores;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MemorySync.Search;

/// <summary>Embeds the query if needed, fans out to every index shard, merges their top-k, and reads the contents.</summary>
[StatelessWorker]
internal sealed class SearchGrain(
    IEmbeddingGenerator embedder,
    IWorkingMemoryStore working,
    IIndexSource indexSource,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<FaissOptions> faissOptions) : Grain, ISearchGrain
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request)
    {
        var query = await QueryVectorAsync(request);
        var types = request.MemoryTypes is { Count: > 0 } ? request.MemoryTypes : null;
        var agents = SearchAgents.Of(request);
        if (agents is { Count: 0 })
        {
            return [];
        }

        var shards = Enumerable.Range(0, memoryOptions.Value.IndexShards)
            .Select(shard => GrainFactory.GetGrain<IIndexGrain>(shard).SearchAsync(query, request.K, agents, types));
        var matches = (await Task.WhenAll(shards))
            .SelectMany(shardMatches => shardMatches)
            .OrderByDescending(match => match.Score)
            .ThenBy(match => match.MemoryId, StringComparer.Ordinal)
            .Take(request.K)
            .ToList();
        var ids = matches.Select(match => match.MemoryId).ToList();
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (id, content) in await working.ReadContentsAsync(ids))
            {
                contents[id] = content;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Redis connected but failing, however the driver says so: every id counts as a miss and PostgreSQL answers.
        }

        var missing = ids.Where(id => !contents.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var (id, content) in await indexSource.ReadContentsAsync(missing))
            {
                contents[id] = content;
            }
        }

        // A match whose memory is gone from both stores was deleted while the search ran: leave it out.
        return matches
            .Where(match => contents.ContainsKey(match.MemoryId))
            .Select(match => new SearchHit(match.MemoryId, match.Score, contents[match.MemoryId]))
            .ToList();
    }

    private async Task<float[]> QueryVectorAsync(SearchRequest request)
    {
        if (request.K is < 1 or > SearchLimits.MaxK)
        {
            throw new MemoryValidationException("k", $"{request.K} is not in 1..{SearchLimits.MaxK}");
        }

        var maxAgentLength = memoryOptions.Value.MaxAgentIdLength;
        if (request.AgentId is not null && !MemoryIds.IsValid(request.AgentId, maxAgentLength))
        {
            throw new MemoryValidationException("agent_id", $"must be 1-{maxAgentLength} characters from {MemoryIds.Charset}");
        }

        if (request.AgentIds?.FirstOrDefault(agent => !MemoryIds.IsValid(agent, maxAgentLength)) is { } badAgent)
        {
            throw new MemoryValidationException("agent_ids", $"'{badAgent}' is not 1-{maxAgentLength} characters from {MemoryIds.Charset}");
        }

        var unknownType = request.MemoryTypes?.FirstOrDefault(type => !MemoryTypes.All.Contains(type, StringComparer.Ordinal));
        if (unknownType is not null)
        {
            throw new MemoryValidationException("memory_type", $"'{unknownType}' is not one of {string.Join(", ", MemoryTypes.All)}");
        }

        var hasText = !string.IsNullOrWhiteSpace(request.Text);
        if (hasText == request.Embedding is not null)
        {
            throw new MemoryValidationException("query", "give exactly one of text or embedding");
        }

        if (request.Embedding is not null)
        {
            EmbeddingVector.Require("embedding", request.Embedding, faissOptions.Value.Dimension);
            return request.Embedding;
        }

        // Embedding costs CPU in proportion to the text (its tokenizer reads all of it): bound it before that work.
        var maxText = memoryOptions.Value.MaxSearchTextBytes;
        if (request.Text!.Length > maxText || Encoding.UTF8.GetByteCount(request.Text) > maxText)
        {
            throw new MemoryValidationException("text",
                $"is {Encoding.UTF8.GetByteCount(request.Text)} bytes; at most {maxText} (Memory:MaxSearchTextBytes) in one search");
        }

        return await Task.Run(() => embedder.Embed([request.Text!])[0]);
    }
}
