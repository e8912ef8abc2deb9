namespace MemorySync;

/// <summary>The kinds of memory an agent keeps; the wire and storage names are the lower-case words.</summary>
public static class MemoryTypes
{
    public const string Episodic = "episodic";
    public const string Semantic = "semantic";
    public const string Procedural = "procedural";
    public const string Working = "working";

    public static IReadOnlyList<string> All { get; } = [Episodic, Semantic, Procedural, Working];
}
