using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync import FILE.jsonl</c>: the seed's sync_batch over a file, with progress; prints {synced, failed, errors}.</summary>
internal static class ImportCommand
{
    private const int BatchSize = 250;

    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON Lines file: one memory object per line" };
        var command = new Command("import", "Store every memory of a JSON Lines file") { file };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliInputException($"{path.FullName} does not exist");
            }

            var (writes, errors) = await ReadAsync(path, cancellationToken);
            var progress = new ProgressBar(context.Error, writes.Count, "memories");
            var synced = 0;
            var done = 0;
            var clock = Stopwatch.StartNew();
            foreach (var batch in writes.Chunk(BatchSize))
            {
                var result = await client.SyncBatchAsync(batch);
                synced += result.Synced;
                errors.AddRange(result.Errors);
                done += batch.Length;
                progress.Report(done);
            }

            var summary = new BatchSyncResult(synced, errors.Count, errors);
            var rate = synced / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            var human = $"synced {synced}, failed {errors.Count} ({rate:F0} memories/s)" +
                string.Concat(errors.Take(20).Select(error => $"{Environment.NewLine}  {error.MemoryId}: {error.Error}"));
            await context.PrintAsync(parse, MemorySyncJson.Serialize(summary), human);
            return errors.Count == 0 ? CliContext.ExitOk : CliContext.ExitInvalidInput;
        }, cancellationToken));
        return command;
    }

    // Lines that are not memories are reported by line number and never sent.
    private static async Task<(List<MemoryWrite> Writes, List<BatchSyncError> Errors)> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var writes = new List<MemoryWrite>();
        var errors = new List<BatchSyncError>();
        await foreach (var line in StrictUtf8Lines.ReadAsync(file.FullName, cancellationToken))
        {
            if (line.Error is not null)
            {
                errors.Add(new BatchSyncError($"line {line.Number}", line.Error));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            try
            {
                writes.Add(MemoryJsonLine.Parse(line.Text));
            }
            catch (Exception exception) when (exception is JsonException or CliInputException or InvalidOperationException or FormatException)
            {
                errors.Add(new BatchSyncError($"line {line.Number}", exception.Message));
            }
        }

        return (writes, errors);
    }
}
