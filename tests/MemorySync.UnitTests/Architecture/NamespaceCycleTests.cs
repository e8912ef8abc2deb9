namespace MemorySync.UnitTests.Architecture;

/// <summary>
/// No two namespaces of the product use each other, directly or around a circle: a namespace can be read, changed and
/// tested knowing only those below it.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly string[] ProductFolders = ["Grains.Interfaces", "Grains", "Silo", "Client", "native"];

    [Fact]
    public void TheProduct_HasNoNamespaceCycles()
    {
        var root = RepositoryRoot();
        var files = ProductFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path.GetRelativePath(root, path), File.ReadAllText(path)))
            .ToList();
        var edges = NamespaceGraph.Read(files);

        var cycles = NamespaceGraph.Cycles(edges);

        Assert.True(edges.Count > 10, $"read only {edges.Count} namespaces with dependencies: is the source tree where the test looks?");
        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine, cycles.Select(cycle =>
            $"cycle: {string.Join(", ", cycle)}" + string.Concat(
                from user in cycle
                from used in cycle
                where edges.GetValueOrDefault(user)?.ContainsKey(used) == true
                select $"{Environment.NewLine}  {user} -> {used} ({string.Join(", ", edges[user][used].Distinct().Take(3))})"))));
    }

    [Fact]
    public void ACircleThroughAUsingAndAQualifiedName_IsFound()
    {
        (string, string)[] files =
        [
            ("a/Stores.cs", "using MemorySync.Memories;\nnamespace MemorySync.Stores;\ninternal sealed class Store { }\n"),
            ("a/Index.cs", "namespace MemorySync.Index;\ninternal sealed class Shard { int X => Stores.Store.Count; }\n"),
            ("a/Memories.cs", "namespace MemorySync.Memories;\n// Stores.Store in a comment is no use\ninternal sealed class Grain { object Y => MemorySync.Index.Shard.Z; }\n"),
            ("a/Search.cs", "namespace MemorySync.Search;\ninternal sealed class Finder { object Z => Stores.ToList(); }\n"),
        ];

        var edges = NamespaceGraph.Read(files);

        Assert.Equal(["MemorySync.Index", "MemorySync.Memories", "MemorySync.Stores"], Assert.Single(NamespaceGraph.Cycles(edges)));
        // Stores.ToList() names no type of MemorySync.Stores: a property or variable named Stores is no dependency.
        Assert.False(edges.ContainsKey("MemorySync.Search"));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MemorySync.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MemorySync.sln not found above " + AppContext.BaseDirectory);
    }
}
