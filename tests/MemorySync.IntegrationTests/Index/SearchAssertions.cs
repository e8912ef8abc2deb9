using MemorySync.Client;

namespace MemorySync.IntegrationTests.Index;

/// <summary>What the index tests check of search after they changed or restarted a shard.</summary>
internal static class SearchAssertions
{
    // Each memory's own vector finds it first (random unit vectors are nearly orthogonal); a removed one's finds another.
    public static async Task FindsEachFirstAsync(MemorySyncClient client, List<(string MemoryId, float[] Vector)> present,
        IReadOnlyList<(string MemoryId, float[] Vector)> removed)
    {
        var missing = new List<string>();
        foreach (var (memoryId, vector) in present)
        {
            var hits = await client.SearchAsync(new SearchRequest(Embedding: vector, K: 1));
            if (hits.Count == 0 || hits[0].MemoryId != memoryId)
            {
                missing.Add(memoryId);
            }
        }

        Assert.Empty(missing);
        foreach (var (memoryId, vector) in removed)
        {
            var hits = await client.SearchAsync(new SearchRequest(Embedding: vector, K: 5));
            Assert.DoesNotContain(memoryId, hits.Select(hit => hit.MemoryId));
        }
    }
}
