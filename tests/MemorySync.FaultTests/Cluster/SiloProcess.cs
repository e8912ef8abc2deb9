using MemorySync.Testing;

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

    // What the silo's earlier processes printed: a silo declared dead and started again keeps its first life's log.
    private string _earlierOutput = string.Empty;

    /// <summary>Started and not killed by the test.</summary>
    public bool Started => _process is not null;

    /// <summary>Started, not killed by the test, and yet gone: the silo stopped by itself.</summary>
    public bool Died => _process is { HasExited: true };

    /// <summary>When the silo stopped by itself (local time); null while it runs.</summary>
    public DateTime? DiedAt => Died ? _process!.ExitTime : null;

    /// <summary>What the silo printed to stdout (its log), in every process it ran as so far.</summary>
    public string Output => _earlierOutput + (_process?.Output ?? string.Empty);

    /// <summary>What the silo printed to stderr (why it died, when it did).</summary>
    public string Error => _process?.Error ?? string.Empty;

    /// <summary>Starts the silo with its environment, plus <paramref name="extra"/> settings for this run only (a skewed clock).</summary>
    public async Task StartAsync(TimeSpan deadline, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (Started)
        {
            throw new InvalidOperationException("the silo is already running");
        }

        var settings = extra is null ? environment : new Dictionary<string, string>(environment.Concat(extra));
        _process = await SiloLauncher.StartAsync(settings, _http, deadline, commandPrefix);
    }

    /// <summary>
    /// SIGTERM, as a supervisor stops a silo for maintenance: Orleans leaves the cluster and hands its grains over.
    /// Killed after the deadline if it has not stopped by then.
    /// </summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        if (_process is { HasExited: false } running)
        {
            await running.SignalAsync("TERM");
            try
            {
                await running.WaitForExitAsync(deadline);
            }
            catch (TimeoutException)
            {
                // Still running: the kill below ends it.
            }
        }

        await KillAsync();
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
            _earlierOutput += _process.Output + _process.Error + $"{Environment.NewLine}===== killed by the test at {DateTime.Now:HH:mm:ss.f}; a new process follows ====={Environment.NewLine}";
            _process = null;
        }
    }
}
