namespace MemorySync.Search;

/// <summary>Which agents' memories a search may return: the one it asks for, within the set its caller is bound to.</summary>
internal static class SearchAgents
{
    /// <summary>Null: every agent. Empty: none (the agent asked for is outside the caller's set, so nothing is found).</summary>
    public static IReadOnlyList<string>? Of(SearchRequest request) => (request.AgentId, request.AgentIds) switch
    {
        (null, null) => null,
        ({ } one, null) => [one],
        (null, { } set) => set.Distinct(StringComparer.Ordinal).ToList(),
        ({ } one, { } set) => set.Contains(one, StringComparer.Ordinal) ? [one] : [],
    };
}
