namespace MemorySync.Testing;

/// <summary>
/// The values of the <c>Category</c> trait, so that <c>dotnet test --filter Category=Fault</c> (or Soak, or Slow)
/// picks a kind of test out of a project; tests without one are the quick ones.
/// </summary>
public static class TestCategories
{
    /// <summary>The trait's name.</summary>
    public const string Name = "Category";

    /// <summary>A fault injected under load (servers killed or frozen, silos killed, partitions, clocks stepped).</summary>
    public const string Fault = "Fault";

    /// <summary>The long soak, run only with <c>./test.sh --soak</c>.</summary>
    public const string Soak = "Soak";

    /// <summary>A class whose tests take ten seconds or more each (a real silo process, TLS handshakes, property runs).</summary>
    public const string Slow = "Slow";
}
