using System.Text;

namespace MemorySync.Cli.Bench;

/// <summary>The report as a table for people; <c>--json</c> prints the same rows.</summary>
internal static class BenchTable
{
    public static string Format(IEnumerable<BenchRow> rows)
    {
        var text = new StringBuilder($"{"row",-62} {"per s",9} {"p50 ms",9} {"p99 ms",9} {"recall",7}  vs raw: throughput; p50, p99 ratios (p50 +ms)");
        var profile = new StringBuilder(Environment.NewLine + "CPU ms per memory (or query), by process: silo, postgres, redis, client");
        foreach (var row in rows)
        {
            text.AppendLine().Append($"{row.Name,-62} {row.PerSecond,9:F0} {row.P50Milliseconds,9:F2} {row.P99Milliseconds,9:F2} ")
                .Append(row.RecallAt10 is { } recall ? $"{recall,7:F3}" : new string(' ', 7));
            if (row.ComparedTo is not null)
            {
                text.Append($"  {row.ThroughputRatio:F2}; {row.P50Ratio:F2}, {row.P99Ratio:F2} ({SignedMilliseconds(row.P50ExtraMilliseconds)})");
            }

            if (row.CpuMillisecondsPerMemory is { Count: > 0 } cpu)
            {
                profile.AppendLine().Append($"{row.Name,-62} ").AppendJoin(", ",
                    new[] { "silo", "postgres", "redis", "client" }.Select(role => $"{cpu.GetValueOrDefault(role),7:F3}"));
            }
        }

        return text.Append(profile).ToString();
    }

    /// <summary>
    /// A difference in milliseconds with its sign, to two places. Rounded first: .NET formats a negative value that rounds
    /// to zero through the positive section with a minus in front ("-+0.00").
    /// </summary>
    public static string SignedMilliseconds(double? milliseconds) =>
        milliseconds is not { } value ? "" : Math.Round(value, 2) is var rounded && rounded == 0 ? "+0.00"
            : rounded.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(BenchReport report)
    {
        var memory = report.SiloMemory;
        static string Bytes(double? value) => value is { } bytes ? $"{bytes:N0} bytes" : "not measured (fewer than 10,000 memories indexed by this run)";
        return $"""
            machine: {report.Machine}
            {Format(report.Rows)}
            silo memory: peak {memory.PeakResidentBytes / (1024.0 * 1024):N0} MiB resident, {memory.IndexedMemories:N0} memories indexed
            per stored memory beyond its {memory.VectorBytesPerMemory}-byte vector (over {memory.MeasuredOverMemories:N0} memories indexed in this run):
              {Bytes(memory.BytesPerMemoryBeyondVector)} once idle memory grains are collected
              {Bytes(memory.BytesPerMemoryBeyondVectorWithGrainsActive)} while every written memory's grain is active
            """;
    }
}
