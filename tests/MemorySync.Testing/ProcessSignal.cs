using System.Diagnostics;
using System.Globalization;

namespace MemorySync.Testing;

/// <summary>Signals other than SIGKILL to a process: .NET can only kill one, so kill(1) sends the rest (SIGSTOP, SIGCONT).</summary>
internal static class ProcessSignal
{
    public static async Task SendAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} exited {kill.ExitCode}");
        }
    }
}
