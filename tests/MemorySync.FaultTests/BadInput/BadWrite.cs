namespace MemorySync.FaultTests.BadInput;

/// <summary>
/// A write with exactly one field wrong: <paramref name="Field"/> is the field the refusal must name, and
/// <paramref name="Description"/> what is wrong with it (printed instead of the write, which may be 70 KB long).
/// </summary>
internal sealed record BadWrite(string Field, string Description, MemoryWrite Write)
{
    public override string ToString() => $"{Field}: {Description}";
}
