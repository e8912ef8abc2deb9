namespace MemorySync.FaultTests;

/// <summary>A test that runs only in the soak (<c>./test.sh --soak</c> sets MEMSYNC_SOAK=1); skipped, and said so, otherwise.</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("MEMSYNC_SOAK") != "1")
        {
            Skip = "the soak runs with ./test.sh --soak (MEMSYNC_SOAK=1)";
        }
    }
}
