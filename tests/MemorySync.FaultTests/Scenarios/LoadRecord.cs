using System.Globalization;
using MemorySync.Testing;

namespace MemorySync.FaultTests.Scenarios;

/// <summary>
/// One scenario's line of the load table: the load held, what was acknowledged, how long the slowest failed call took
/// to fail, how long the memories stayed unwritable from the fault's start (per memory, p50 and p99, see
/// <see cref="Load.AvailabilityProbe"/>), how the stores ended, and how long the
/// cluster took on its own after the fault ended: to acknowledge a write again, and to converge (the audit clean), counted
/// from the fault's end (the writers kept writing meanwhile) and from the writers' stop. Then what readers saw: the
/// conflict-aware writes answered, the reads answered and how many of them went back behind what their reader had
/// seen (0), and the longest time from a marker's acknowledgement until a search found it.
/// </summary>
internal sealed record LoadRecord(string Fault, int Writers, double LoadSeconds, double WritesPerSecond, int Acknowledged, int Unknown, int Lost, int Divergent,
    double SlowestFailureSeconds, double UnavailableP50Seconds, double UnavailableP99Seconds, double SecondsToFirstWrite, double SecondsToConvergeAfterFault,
    double SecondsToConvergeAfterWriters, long ConflictAware, long Reads, int BackwardReads, double SearchLagMaxSeconds)
{
    private const string Header = "fault\twriters\tseconds of load\twrites/s\tacknowledged\tunknown outcome\tlost\tdivergent" +
        "\tslowest failed call s\tunavailable s p50\tunavailable s p99\ts to first write after fault\ts to converge after fault\ts to converge after writers stop" +
        "\tconflict-aware writes\treads\treads gone backwards\ts until searches find a write (max)";

    /// <summary>Where every run appends its lines, so a note can quote the table (./test.sh empties TestResults first).</summary>
    public static string ResultsFile => Path.Combine(RepoPaths.Root, "TestResults", "faults.tsv");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Fault}\t{Writers}\t{LoadSeconds:F0}\t{WritesPerSecond:F1}\t{Acknowledged}\t{Unknown}\t{Lost}\t{Divergent}\t" +
        $"{SlowestFailureSeconds:F1}\t{UnavailableP50Seconds:F1}\t{UnavailableP99Seconds:F1}\t{SecondsToFirstWrite:F1}\t{SecondsToConvergeAfterFault:F1}\t{SecondsToConvergeAfterWriters:F1}\t" +
        $"{ConflictAware}\t{Reads}\t{BackwardReads}\t{SearchLagMaxSeconds:F1}");

    public void Append(ITestOutputHelper output)
    {
        output.WriteLine(Header);
        output.WriteLine(ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(ResultsFile)!);
        // Scenarios of one run follow each other (one test collection), so appends never interleave.
        if (!File.Exists(ResultsFile))
        {
            File.AppendAllText(ResultsFile, Header + Environment.NewLine);
        }

        File.AppendAllText(ResultsFile, ToString() + Environment.NewLine);
    }
}
