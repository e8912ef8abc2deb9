namespace MemorySync.Cli.Bench;

/// <summary>
/// The profile next to each row: CPU time the local processes spent per memory (from /proc: user + system time), by
/// role: the silos, PostgreSQL (all its processes), Redis, and this client. On a two-core machine throughput is bounded
/// by the sum, so the largest share is what stands in the way. Empty where /proc is not there.
/// </summary>
internal static class CpuAccounting
{
    private static readonly double TicksPerMillisecond = 100 / 1000.0; // USER_HZ is 100 on Linux.

    /// <summary>CPU ticks used so far by each local process of a role, keyed by "role/pid".</summary>
    public static Dictionary<string, long> Sample()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc"))
        {
            return ticks;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || RoleOf(pid) is not { } role)
            {
                continue;
            }

            if (TicksOf(pid) is { } used)
            {
                ticks[$"{role}/{pid}"] = used;
            }
        }

        return ticks;
    }

    /// <summary>
    /// Milliseconds of CPU per memory, by role, between two samples: what each process used in between (all of it for
    /// one that started meanwhile; a process that ended meanwhile took its count with it and is left out).
    /// </summary>
    public static Dictionary<string, double> PerMemory(Dictionary<string, long> before, Dictionary<string, long> after, int memories) =>
        after.GroupBy(pair => pair.Key.Split('/')[0], StringComparer.Ordinal).ToDictionary(
            role => role.Key,
            role => Math.Round(role.Sum(pair => pair.Value - before.GetValueOrDefault(pair.Key)) / TicksPerMillisecond / memories, 3),
            StringComparer.Ordinal);

    private static string? RoleOf(int pid)
    {
        try
        {
            if (pid == Environment.ProcessId)
            {
                return "client";
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return commandLine.Contains("MemorySync.Silo", StringComparison.Ordinal) ? "silo"
                : commandLine.StartsWith("redis-server", StringComparison.Ordinal) ? "redis"
                : commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/bin/postgres ", StringComparison.Ordinal) ? "postgres"
                : null;
        }
        catch (IOException)
        {
            return null; // The process ended meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? TicksOf(int pid)
    {
        try
        {
            // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
            // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
