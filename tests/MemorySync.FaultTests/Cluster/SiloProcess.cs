using MemorySync.IntegrationTests.Infrastructure;

namespace MemorySync.FaultTests.Cluster;

/// <summary>One silo of the cluster: the same environment (and so the same ports) each time it is started.</summary>
internal sealed class SiloProcess(IReadOnlyDictionary<string, string> environment)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{environment["MEMSYNC_Silo__HttpPort"]}") };
    private DotnetProcess? _process;

    /// <summary>Started and not killed by the test.</summary>
    public bool Started => _process is not null;

    /// <summary>Started, not killed by the test, and yet gone: the silo stopped by itself.</summary>
    public bool Died => _process is { HasExited: true };

    /// <summary>What the silo printed to stderr (why it died, when it did).</summary>
    public string Error => _process?.Error ?? string.Empty;

    public async Task StartAsync(TimeSpan deadline)
    {
        if (Started)
        {
            throw new InvalidOperationException("the silo is already running");
        }

        _process = await SiloLauncher.StartAsync(environment, _http, deadline);
    }

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
