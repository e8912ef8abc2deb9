using System.Diagnostics;

namespace MemorySync.FaultTests.Cluster;

/// <summary>Runs iproute2's <c>ip</c>, for the <see cref="NetworkFabric"/>.</summary>
internal static class IpCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>What ip printed; fails with what it said on stderr if it exits with an error.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await RunCapturedAsync(arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', arguments)} exited {exitCode}: {error}");
    }

    /// <summary>For clean-up, where what to delete may be gone already.</summary>
    public static Task TryRunAsync(params string[] arguments) => RunCapturedAsync(arguments);

    private static async Task<(int ExitCode, string Output, string Error)> RunCapturedAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
