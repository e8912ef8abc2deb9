using System.Text.Json;

namespace MemorySync.Stores;

/// <summary>The <c>store_versions</c> column: <c>{"redis": n, "postgres": n, "faiss": n}</c>.</summary>
internal static class StoreVersionsJson
{
    public static string Write(StoreVersions versions) =>
        $$"""{"redis": {{versions.Redis}}, "postgres": {{versions.Postgres}}, "faiss": {{versions.Faiss}}}""";

    public static StoreVersions Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new StoreVersions(Read(root, StoreNames.Redis), Read(root, StoreNames.Postgres), Read(root, StoreNames.Faiss));
    }

    private static long Read(JsonElement root, string store) =>
        root.TryGetProperty(store, out var value) && value.TryGetInt64(out var version) ? version : 0;
}
