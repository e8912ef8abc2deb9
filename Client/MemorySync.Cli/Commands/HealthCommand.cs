using System.CommandLine;
using System.Globalization;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync health [--json]</c>: each store's state as the reached silo sees it; exit 1 when any is unhealthy.</summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("health", "Probe Redis, PostgreSQL and the FAISS binding from a silo");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var report = await client.CheckHealthAsync();
            if (parse.GetValue(CliContext.JsonOption))
            {
                await context.Output.WriteLineAsync(MemorySyncJson.Serialize(report));
            }
            else
            {
                await WriteTableAsync(context.Output, report);
            }

            return report.Overall == StoreState.Unhealthy ? CliContext.ExitUnhealthy : CliContext.ExitOk;
        }, cancellationToken));
        return command;
    }

    private static async Task WriteTableAsync(TextWriter output, HealthReport report)
    {
        await output.WriteLineAsync($"{Name(report.Overall)} (silo {report.Silo})");
        foreach (var store in report.Stores)
        {
            var latency = store.LatencyMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"  {store.Store,-9} {Name(store.State),-10} {latency,8} ms  {store.Detail}");
        }
    }

    private static string Name(StoreState state) => state.ToString().ToLowerInvariant();
}
