namespace MemorySync.Testing;

/// <summary>Starts the real silo program as a process and waits until it answers /health with 200.</summary>
internal static class SiloLauncher
{
    /// <summary>
    /// The running silo; or fails with what it printed if it exits or stays unhealthy past the deadline (then it is killed).
    /// A <paramref name="commandPrefix"/> (<c>ip netns exec ns0</c>) runs it through a program that execs it in place,
    /// so the process the test signals and kills is still the silo.
    /// </summary>
    public static async Task<DotnetProcess> StartAsync(IReadOnlyDictionary<string, string> environment, HttpClient http, TimeSpan deadline,
        IReadOnlyList<string>? commandPrefix = null)
    {
        var silo = commandPrefix is { Count: > 0 }
            ? DotnetProcess.StartProgram(commandPrefix[0], environment, [.. commandPrefix.Skip(1), "dotnet", RepoPaths.SiloDll])
            : DotnetProcess.Start(RepoPaths.SiloDll, environment);
        try
        {
            await Eventually.ReturnsAsync(() => HealthStatusAsync(http), status => status == 200 || silo.HasExited, deadline, "answering /health with 200");
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"the silo exited during start-up: {silo.Error}{silo.Output}");
            }

            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private static async Task<int> HealthStatusAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health");
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
