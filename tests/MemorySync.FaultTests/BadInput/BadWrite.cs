namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// A write with exactly one field wrong: <paramref name="Field"/> is the field the refusal must name, and
/// <paramref name="Description"/> what is wrong with it (printed instead of the write, which may be 70 KB long).
/// </summary>
internal sealed record BadWrite(string Field, string Description, MemoryWrite Write)
{
    /// <summary>
    /// Whether every text of the write has a UTF-8 form (no unpaired surrogate), so that a command line or an import file
    /// can carry it as it is.
    /// </summary>
    public bool HasUtf8Form => new[] { Write.MemoryId, Write.Content, Write.AgentId, Write.MemoryType, Write.MetadataJson ?? string.Empty }.All(IsWellFormed);

    public override string ToString() => $"{Field}: {Description}";

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
