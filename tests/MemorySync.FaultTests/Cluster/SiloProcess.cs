using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.FaultTests.Cluster;

/// <summary>
/// One silo of the cluster: the same environment (and so the same ports and addresses) each time it is started, run
/// through <paramref name="commandPrefix"/> when given (in a network namespace of its own).
/// </summary>
internal sealed class SiloProcess(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? commandPrefix = null)
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri($"http://{environment.GetValueOrDefault("MEMSYNC_Silo__HttpAddress", "127.0.0.1")}:{environment["MEMSYNC_Silo__HttpPort"]}"),
    };
    private DotnetProcess? _process;

    /// <summary>Started and not killed by the test.</summary>
    public bool Started => _process is not null;

    /// <summary>Started, not killed by the test, and yet gone: the silo stopped by itself.</summary>
    public bool Died => _process is { HasExited: true };

    /// <summary>When the silo stopped by itself (local time); null while it runs.</summary>
    public DateTime? DiedAt => Died ? _process!.ExitTime : null;

    /// <summary>What the silo printed to stderr (why it died, when it did).</summary>
    public string Error => _process?.Error ?? string.Empty;

    public async Task StartAsync(TimeSpan deadline)
    {
        if (Started)
        {
            throw new InvalidOperationException("the silo is already running");
        }

        _process = await SiloLauncher.StartAsync(environment, _http, deadline, commandPrefix);
    }

    /// <summary>SIGSTOP: the silo freezes with its connections open, as in a long GC pause or a stalled VM.</summary>
    public Task PauseAsync() => Running().SignalAsync("STOP");

    /// <summary>SIGCONT: the silo runs again (and stops by itself if the others declared it dead meanwhile).</summary>
    public Task ResumeAsync() => Running().SignalAsync("CONT");

    /// <summary>Whether the silo's process ended, by itself or killed.</summary>
    public bool Exited => _process is null || _process.HasExited;

    private DotnetProcess Running() => _process is { HasExited: false } running ? running : throw new InvalidOperationException("the silo is not running");

    /// <summary>SIGKILL to the process (and its children), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
