using System.Diagnostics;
using System.Globalization;

namespace MemorySync.Testing;

/// <summary>
/// A real PostgreSQL server of the test's own (initdb into a temporary folder, run as the postgres user, local trust
/// on 127.0.0.1, and on <paramref name="alsoListenOn"/> for clients of <paramref name="alsoTrust"/> when given: a test
/// network whose other namespaces reach it there), which a test may stop and start without disturbing the shared test server.
/// </summary>
internal sealed class OwnPostgresServer(string? alsoListenOn = null, string? alsoTrust = null) : IAsyncDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"memsync-pg-{Guid.NewGuid():N}");

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => ConnectionStringAt("127.0.0.1");

    /// <summary>The connection string through one of the addresses it listens on.</summary>
    public string ConnectionStringAt(string address) =>
        $"Host={address};Port={Port.ToString(CultureInfo.InvariantCulture)};Database=postgres;Username=postgres;Pooling=true";

    private string ListenAddresses => alsoListenOn is null ? "127.0.0.1" : $"127.0.0.1,{alsoListenOn}";

    private string Data => Path.Combine(_home, "data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        await RunAsync("chown", "postgres:postgres", _home);
        await PgAsync("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        if (alsoTrust is not null)
        {
            // initdb's trust lines name loopback only; the server is the test's own and listens nowhere public.
            await File.AppendAllTextAsync(Path.Combine(Data, "pg_hba.conf"), $"host all all {alsoTrust} trust{Environment.NewLine}");
        }

        await StartAsync();
    }

    // As many connections as the stack's server allows: two silos' pools (50 each, and Orleans' own) and the harness
    // exceed PostgreSQL's default of 100, which answered "too many clients" during the fault suite.
    public Task StartAsync() => PgAsync("pg_ctl", "start", "-D", Data, "-w", "-t", "60", "-l", Path.Combine(_home, "log"),
        "-o", $"-c listen_addresses={ListenAddresses} -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_home} -c fsync=off -c max_connections=300");

    public Task StopAsync() => PgAsync("pg_ctl", "stop", "-D", Data, "-m", "immediate", "-w", "-t", "60");

    /// <summary>
    /// Freezes the server and every backend (SIGSTOP to the postmaster, then to its children): connections stay open and
    /// nothing answers, as in a network partition. Each backend is a session of its own, so the postmaster's process
    /// group would not reach them; stopped first, the postmaster forks none meanwhile.
    /// </summary>
    public Task PauseAsync() => SignalServerAsync("STOP");

    /// <summary>Lets a paused server and its backends run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalServerAsync("CONT");

    private async Task SignalServerAsync(string signal)
    {
        // The first line of postmaster.pid is the running postmaster's pid.
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(Data, "postmaster.pid")))[0].Trim();
        await RunAsync("kill", $"-{signal}", postmaster);
        await RunAsync("pkill", $"-{signal}", "-P", postmaster);
    }

    public async ValueTask DisposeAsync()
    {
        await PgAsync("pg_ctl", ["stop", "-D", Data, "-m", "immediate", "-w", "-t", "60"], ignoreFailure: true);
        Directory.Delete(_home, recursive: true);
    }

    private static string BinDirectory() =>
        Directory.GetDirectories("/usr/lib/postgresql").OrderBy(path => int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture)).Last() + "/bin";

    private static Task PgAsync(string tool, params string[] arguments) => PgAsync(tool, arguments, ignoreFailure: false);

    private static Task PgAsync(string tool, string[] arguments, bool ignoreFailure) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory(), tool), .. arguments], ignoreFailure);

    private static Task RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, ignoreFailure: false);

    private static async Task RunAsync(string program, string[] arguments, bool ignoreFailure)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 && !ignoreFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
