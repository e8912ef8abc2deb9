namespace MemorySync.Silo.Api;

/// <summary>What each body field must be, for the error that names a field whose JSON did not fit.</summary>
internal static class ApiFieldTypes
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["content"] = "a string",
        ["text"] = "a string",
        ["memory_id"] = "a string",
        ["memory_type"] = "one of \"episodic\", \"semantic\", \"procedural\", \"working\"",
        ["memory_types"] = "an array of memory types",
        ["importance"] = "a number in [0, 1]",
        ["metadata"] = "a JSON object",
        ["embedding"] = "an array of numbers",
        ["agent_id"] = "a string",
        ["base_version"] = "an integer",
        ["strategy"] = "one of \"latest_wins\", \"merge\", \"version_vector\", \"manual\"",
        ["mode"] = "\"eventual\" or \"strict\"",
        ["k"] = "an integer",
        ["memories"] = "an array of memories",
        ["keep"] = "\"current\" or \"incoming\"",
        ["reembed_all"] = "true or false",
    };

    /// <summary>"must be a number in [0, 1]" for <c>memories[2].importance</c>; null for a field it does not know.</summary>
    public static string? Describe(string fieldPath)
    {
        var name = fieldPath[(fieldPath.LastIndexOf('.') + 1)..];
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        name = bracket > 0 ? name[..bracket] : name;
        return Expected.TryGetValue(name, out var expected) ? $"must be {expected}" : null;
    }
}
