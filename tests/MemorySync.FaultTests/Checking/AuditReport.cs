namespace MemorySync.FaultTests.Checking;

/// <summary>
/// What the checker found: acknowledged writes that are gone (<paramref name="Lost"/>: never heals, always a bug) and
/// stores that disagree or work still unfinished (<paramref name="Divergent"/>: expected while the cluster repairs).
/// </summary>
internal sealed record AuditReport(IReadOnlyList<string> Lost, IReadOnlyList<string> Divergent)
{
    private const int Shown = 10;

    public bool Clean => Lost.Count == 0 && Divergent.Count == 0;

    public override string ToString() =>
        $"{Lost.Count} lost [{string.Join("; ", Lost.Take(Shown))}], {Divergent.Count} divergent [{string.Join("; ", Divergent.Take(Shown))}]";
}
