using System.Diagnostics;
using System.Text;

namespace MemorySync.Testing;

/// <summary>A dotnet program (the silo, the CLI) run as a real process with its own environment; killed on dispose.</summary>
internal sealed class DotnetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private bool _disposed;

    private DotnetProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>When the process ended (local time); only once it has.</summary>
    public DateTime ExitTime => _process.ExitTime;

    /// <summary>Sends a signal other than SIGKILL (SIGSTOP freezes the program, SIGCONT lets it run again).</summary>
    public Task SignalAsync(string signal) => ProcessSignal.SendAsync(_process.Id, signal);

    public static DotnetProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartProgram("dotnet", environment, [dll, .. arguments]);

    /// <summary>Any program (node, python3), with the same environment rule and output capture as a .NET one.</summary>
    public static DotnetProcess StartProgram(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ClusterCertificates.ApplyChildEnvironment(start.Environment, environment);

        var process = new Process { StartInfo = start };
        var wrapper = new DotnetProcess(process);
        process.OutputDataReceived += (_, line) => wrapper.Append(wrapper._output, line.Data);
        process.ErrorDataReceived += (_, line) => wrapper.Append(wrapper._error, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits for the exit code, or fails after the deadline with what the process printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process still running after {deadline.TotalSeconds:F0} s; stderr: {Error}; stdout: {Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
