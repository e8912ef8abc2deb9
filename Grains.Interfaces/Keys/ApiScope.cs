namespace MemorySync.Keys;

/// <summary>What an API key may do. Each scope includes the ones before it.</summary>
public enum ApiScope
{
    /// <summary>Get, history, search and conflicts of the key's agents.</summary>
    Read = 0,

    /// <summary>Also put, delete, batch and resolve for the key's agents.</summary>
    Write = 1,

    /// <summary>Everything, for every agent, and the operator routes (/v1/admin).</summary>
    Admin = 2,
}

public static class ApiScopes
{
    /// <summary>The scope's name and the names of the scopes it includes, as keys show them ("write" → read, write).</summary>
    public static IReadOnlyList<string> Expand(ApiScope scope) =>
        Enum.GetValues<ApiScope>().Where(included => included <= scope).Select(Name).ToList();

    public static string Name(ApiScope scope) => scope.ToString().ToLowerInvariant();

    public static ApiScope? Parse(string? name) => name switch
    {
        "read" => ApiScope.Read,
        "write" => ApiScope.Write,
        "admin" => ApiScope.Admin,
        _ => null,
    };
}
