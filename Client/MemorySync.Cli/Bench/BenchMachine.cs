using System.Runtime.InteropServices;

namespace MemorySync.Cli.Bench;

/// <summary>The machine a run was measured on, printed with its numbers (they mean little without it).</summary>
internal sealed record BenchMachine(string Cpu, int Cores, long MemoryBytes, string OperatingSystem, string Runtime)
{
    public static BenchMachine Describe() => new(CpuModel(), Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var line = File.Exists(cpuInfo) ? File.ReadLines(cpuInfo).FirstOrDefault(text => text.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    public override string ToString() =>
        $"{Cpu}, {Cores} cores, {MemoryBytes / (1024.0 * 1024 * 1024):F0} GiB, {OperatingSystem}, {Runtime}";
}
