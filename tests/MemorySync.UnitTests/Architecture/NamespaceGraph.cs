using System.Text.RegularExpressions;

namespace MemorySync.UnitTests.Architecture;

/// <summary>
/// Which namespace of the project uses which, read from the sources: the using directives (the build keeps each one
/// necessary, IDE0005), names qualified from the root (<c>MemorySync.Model.SweepHash</c>) and names qualified by a
/// sibling namespace (<c>Search.SearchGrain</c> inside <c>MemorySync.Index</c>) that name a type declared there.
/// </summary>
internal static partial class NamespaceGraph
{
    public static Dictionary<string, Dictionary<string, List<string>>> Read(IReadOnlyList<(string Path, string Text)> files)
    {
        var parsed = files.Select(file => (file.Path, Text: WithoutComments(file.Text)))
            .Select(file => (file.Path, file.Text, Namespace: NamespaceDeclaration().Match(file.Text) is { Success: true } match ? match.Groups[1].Value : null))
            .Where(file => file.Namespace is not null)
            .ToList();
        var typesOf = parsed.GroupBy(file => file.Namespace!)
            .ToDictionary(group => group.Key, group => group.SelectMany(file => TypeDeclaration().Matches(file.Text).Select(match => match.Groups[1].Value)).ToHashSet());

        var edges = new Dictionary<string, Dictionary<string, List<string>>>();
        foreach (var (path, text, ns) in parsed)
        {
            var used = UsingDirective().Matches(text).Select(match => match.Groups[1].Value)
                .Concat(RootQualified().Matches(text).Select(match => LongestKnown(match.Groups[1].Value, typesOf)))
                .Concat(RelativeQualified().Matches(text)
                    .Select(match => (Namespace: Sibling(ns!, match.Groups[1].Value, typesOf), Type: match.Groups[2].Value))
                    .Where(reference => reference.Namespace is not null && typesOf[reference.Namespace].Contains(reference.Type))
                    .Select(reference => reference.Namespace));
            foreach (var target in used.OfType<string>().Where(target => target != ns && typesOf.ContainsKey(target)))
            {
                var from = edges.TryGetValue(ns!, out var existing) ? existing : edges[ns!] = [];
                (from.TryGetValue(target, out var paths) ? paths : from[target] = []).Add(path);
            }
        }

        return edges;
    }

    /// <summary>Every set of namespaces that use each other in a circle (strongly connected, more than one).</summary>
    public static List<List<string>> Cycles(Dictionary<string, Dictionary<string, List<string>>> edges)
    {
        var index = new Dictionary<string, int>();
        var lowest = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = lowest[node] = index.Count;
            stack.Push(node);
            foreach (var next in edges.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowest[node] = Math.Min(lowest[node], lowest[next]);
                }
                else if (stack.Contains(next))
                {
                    lowest[node] = Math.Min(lowest[node], index[next]);
                }
            }

            if (lowest[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal).Where(node => !index.ContainsKey(node)))
        {
            Visit(node);
        }

        return cycles;
    }

    private static string? LongestKnown(string qualified, Dictionary<string, HashSet<string>> typesOf)
    {
        for (var candidate = qualified; candidate.Contains('.', StringComparison.Ordinal); candidate = candidate[..candidate.LastIndexOf('.')])
        {
            if (typesOf.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // "Search" inside MemorySync.Index means MemorySync.Search (a sibling) when that namespace exists.
    private static string? Sibling(string ns, string segment, Dictionary<string, HashSet<string>> typesOf)
    {
        for (var parent = ns; parent.Contains('.', StringComparison.Ordinal);)
        {
            parent = parent[..parent.LastIndexOf('.')];
            if (typesOf.ContainsKey($"{parent}.{segment}"))
            {
                return $"{parent}.{segment}";
            }
        }

        return null;
    }

    private static string WithoutComments(string text) => LineComment().Replace(text, string.Empty);

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^using (MemorySync[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?:global::)?\b(MemorySync(?:\.[A-Z]\w*)+)")]
    private static partial Regex RootQualified();

    [GeneratedRegex(@"(?<![\w.""])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex RelativeQualified();

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();
}
