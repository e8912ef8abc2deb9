namespace MemorySync.FaultTests.Cluster;

/// <summary>
/// A silo's wall clock set off by the test: Debian's libfaketime preloaded into the process shifts what
/// <c>clock_gettime(CLOCK_REALTIME)</c> (so <see cref="DateTimeOffset.UtcNow"/>) returns. Either fixed from the start,
/// or read from a file the test rewrites, so that a running silo's clock steps by minutes at once, as when a machine's
/// time sync corrects a drifted clock. The monotonic clock is left alone, as time sync leaves it.
/// </summary>
internal sealed class SkewedClock : IDisposable
{
    // The thread-safe variant: a silo reads the clock from many threads.
    private const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

    private readonly string _offsetFile = Path.GetTempFileName();

    /// <summary>A clock at the true time until <see cref="Step"/>.</summary>
    public SkewedClock() => Step("+0s");

    /// <summary>What to add to a silo's environment so that its clock follows this one (re-read every second).</summary>
    public IReadOnlyDictionary<string, string> Environment => WithLibrary(new Dictionary<string, string>
    {
        ["FAKETIME_TIMESTAMP_FILE"] = _offsetFile,
        ["FAKETIME_CACHE_DURATION"] = "1",
    });

    /// <summary>The environment of a process whose clock is <paramref name="offset"/> off from its start ("+10m", "-10m").</summary>
    public static IReadOnlyDictionary<string, string> Fixed(string offset) => WithLibrary(new Dictionary<string, string> { ["FAKETIME"] = offset });

    /// <summary>Sets the clock <paramref name="offset"/> off the true time (libfaketime's form: "+10m", "-10m", "+0s").</summary>
    public void Step(string offset)
    {
        // Written aside and renamed: the silo must never read half a line.
        var written = _offsetFile + ".next";
        File.WriteAllText(written, offset + "\n");
        File.Move(written, _offsetFile, overwrite: true);
    }

    public void Dispose() => File.Delete(_offsetFile);

    private static Dictionary<string, string> WithLibrary(Dictionary<string, string> settings)
    {
        if (!File.Exists(Library))
        {
            throw new InvalidOperationException($"{Library} is missing: install Debian's faketime package (./test.sh does)");
        }

        settings["LD_PRELOAD"] = Library;
        settings["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
        return settings;
    }
}
