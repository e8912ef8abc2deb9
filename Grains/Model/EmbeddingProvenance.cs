namespace MemorySync.Model;

internal static class EmbeddingProvenance
{
    /// <summary>The model id recorded for a vector the writer supplied itself.</summary>
    public const string Caller = "caller";
}
