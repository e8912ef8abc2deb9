using System.CommandLine;
using MemorySync.Cli.Demo;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync demo-data [--queries]</c>: prints the demo's memories as JSON Lines (for <c>memsync import</c>), or its
/// sample questions as "agent|question" lines. Needs no cluster.
/// </summary>
internal static class DemoDataCommand
{
    public static Command Create(CliContext context)
    {
        var queries = new Option<bool>("--queries") { Description = "Print the sample questions instead of the memories" };
        var command = new Command("demo-data", "Print the demo data set that ./run.sh imports") { queries };
        command.SetAction(async parse =>
        {
            if (parse.GetValue(queries))
            {
                foreach (var query in DemoMemories.Queries)
                {
                    await context.Output.WriteLineAsync($"{query.AgentId ?? string.Empty}|{query.Text}");
                }
            }
            else
            {
                DemoMemories.WriteJsonl(context.Output);
            }

            return CliContext.ExitOk;
        });
        return command;
    }
}
