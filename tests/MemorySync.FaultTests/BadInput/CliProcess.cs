using System.Diagnostics;
using System.Text;
using MemorySync.Testing;

namespace MemorySync.FaultTests.BadInput;

/// <summary>What a memsync run printed and how it ended.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the memsync program with arguments given as raw bytes, so that a test can hand it what .NET's process API
/// cannot: bytes that are not UTF-8. bash reads the NUL-separated arguments from a file and execs the CLI with them.
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<byte[]> arguments)
    {
        var file = Path.GetTempFileName();
        try
        {
            await using (var writer = File.Create(file))
            {
                foreach (var argument in arguments.Prepend(Encoding.UTF8.GetBytes(RepoPaths.CliDll)))
                {
                    await writer.WriteAsync(argument);
                    writer.WriteByte(0);
                }
            }

            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("""mapfile -d '' -t arguments < "$0" && exec dotnet "${arguments[@]}" """);
            start.ArgumentList.Add(file);
            ClusterCertificates.ApplyChildEnvironment(start.Environment, environment);

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Deadline);
            await process.WaitForExitAsync(timeout.Token);
            return new CliResult(process.ExitCode, await output, await error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync(environment, arguments.Select(Encoding.UTF8.GetBytes));
}
