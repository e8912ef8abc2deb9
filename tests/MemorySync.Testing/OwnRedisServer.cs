using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace MemorySync.Testing;

/// <summary>
/// A real redis-server of the test's own (own port, own data folder, append-only file on), which the test may stop
/// and start again without disturbing the shared test Redis. It listens on 127.0.0.1, and also on
/// <paramref name="alsoListenOn"/> when given (an address of a test network that other namespaces reach it at).
/// </summary>
internal sealed class OwnRedisServer(string? alsoListenOn = null) : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("memsync-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => ConnectionStringAt("127.0.0.1");

    /// <summary>The connection string through one of the addresses it listens on.</summary>
    public string ConnectionStringAt(string address) => $"{address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Protected mode would refuse the other address's clients (no password); the bind list is what limits who connects.
        string[] bind = alsoListenOn is null ? ["--bind", "127.0.0.1"] : ["--bind", "127.0.0.1", alsoListenOn, "--protected-mode", "no"];
        string[] arguments = ["--port", Port.ToString(CultureInfo.InvariantCulture), .. bind, "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", "always", "--save", ""];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.ReturnsAsync(() => Task.FromResult(Accepts()), accepts => accepts, TimeSpan.FromSeconds(20), $"redis listening on {Port}");
    }

    /// <summary>Stops the server the hard way (SIGKILL), as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(Accepts()), accepts => !accepts, TimeSpan.FromSeconds(20), $"redis on {Port} gone");
    }

    /// <summary>Stops the server (SIGKILL) and deletes its append-only file: it starts again empty, as after FLUSHALL.</summary>
    public async Task StopAndWipeAsync()
    {
        await StopAsync();
        foreach (var entry in new DirectoryInfo(_directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as in a network partition.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task SignalAsync(string signal) => ProcessSignal.SendAsync(
        (_process is { HasExited: false } running ? running : throw new InvalidOperationException($"redis on {Port} is not running")).Id, signal);

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
