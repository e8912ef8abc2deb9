using System.CommandLine;
using System.Globalization;
using MemorySync.Operations;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync outbox</c>: what Redis and FAISS still owe (pending rows) and what was given up on (dead letters);
/// <c>memsync outbox retry [--store redis|faiss|all]</c>: those dead letters back to pending, now.
/// </summary>
internal static class OutboxCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("outbox", "Show pending outbox rows and dead letters");
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var status = await client.Operations.GetOutboxStatusAsync();
            var oldest = status.OldestPendingSeconds.ToString("F1", CultureInfo.InvariantCulture);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(status),
                $"outbox: {status.Pending} pending (oldest {oldest} s), {status.Dead} dead letters");
        }, cancellationToken));
        command.Subcommands.Add(Retry(context));
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Whose dead letters: redis, faiss or all", DefaultValueFactory = _ => "all" };
        store.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && !OutboxRetries.Stores.Contains(name))
            {
                result.AddError($"--store: '{name}' is not one of {string.Join(", ", OutboxRetries.Stores)}");
            }
        });
        var command = new Command("retry", "Put dead letters back to pending, to be retried with the normal backoff") { store };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var result = await client.Operations.RetryDeadLettersAsync(parse.GetValue(store)!, cancellationToken);
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(result),
                $"{result.Requeued} dead letters of {result.Store} re-queued, {result.Completed} closed (their store already held them)");
        }, cancellationToken));
        return command;
    }
}
