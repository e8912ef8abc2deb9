using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MemorySync.Cli.Bench;

/// <summary>
/// A silo the benchmark starts for itself (<c>bench tls</c>): the built silo program with this process's MEMSYNC_*
/// settings and the given overrides, on free loopback ports. Its output goes to a log file, whose end is shown when it
/// does not come up; disposing it kills the process, and so does this process's exit, however the bench ends (a
/// SIGTERM or Ctrl-C gives the bench only a moment before the process exits, too short for every disposal to run).
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private BenchSilo(Process process, StreamWriter log, int gatewayPort, string logPath)
    {
        _process = process;
        _log = log;
        GatewayPort = gatewayPort;
        LogPath = logPath;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public int GatewayPort { get; }

    /// <summary>The silo's process id, shown in the bench's progress.</summary>
    public int ProcessId => _process.Id;

    public string LogPath { get; }

    /// <summary>The running silo, answering /health; or a <see cref="CliInputException"/> with the end of its log.</summary>
    public static async Task<BenchSilo> StartAsync(string siloProgram, IReadOnlyDictionary<string, string> settings, string logPath,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var httpPort = FreePort();
        var gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [siloProgram])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["MEMSYNC_Silo__HttpPort"] = $"{httpPort}";
        start.Environment["MEMSYNC_Silo__GatewayPort"] = $"{gatewayPort}";
        start.Environment["MEMSYNC_Silo__SiloPort"] = $"{FreePort()}";

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new BenchSilo(process, log, gatewayPort, logPath);
        try
        {
            await silo.WaitUntilHealthyAsync(httpPort, deadline, cancellationToken);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync(int httpPort, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var giveUp = Stopwatch.StartNew();
        while (giveUp.Elapsed < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        var why = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"was not healthy after {deadline.TotalSeconds:F0} s";
        throw new CliInputException($"the bench's silo {why}; the end of its log ({LogPath}):{Environment.NewLine}{LastLines(LogPath, 15)}");
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        // Output and error lines arrive on two threads; a line after disposal (the process dying) is dropped.
        lock (log)
        {
            if (log.BaseStream is not null)
            {
                log.WriteLine(line);
            }
        }
    }

    private static string LastLines(string path, int count)
    {
        using var shared = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(shared);
        var lines = reader.ReadToEnd().Split('\n');
        return string.Join('\n', lines.TakeLast(count));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
