namespace MemorySync.Cli.Import;

/// <summary>A memory read from line <paramref name="Number"/> of the import file.</summary>
internal sealed record ImportLine(int Number, MemoryWrite Write);

/// <summary>What became of one line: stored now, already stored with the same content, or not stored and why.</summary>
internal sealed record ImportOutcome(int Line, string MemoryId, string Status, string? Error = null)
{
    public const string Stored = "stored";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
}
