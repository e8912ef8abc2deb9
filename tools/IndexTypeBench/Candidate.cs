namespace MemorySync.IndexTypeBench;

/// <summary>A factory string and the nprobe values to measure it with (none for index types without lists).</summary>
internal sealed record Candidate(string Factory, IReadOnlyList<int> Nprobes)
{
    /// <summary>Reads <c>IVF1024,Flat@8,16,32</c>: the factory, then after <c>@</c> the nprobe values.</summary>
    public static Candidate Parse(string text)
    {
        var parts = text.Split('@', 2, StringSplitOptions.TrimEntries);
        var nprobes = parts.Length == 2 ? parts[1].Split(',').Select(int.Parse).ToList() : [];
        return new Candidate(parts[0], nprobes);
    }
}
