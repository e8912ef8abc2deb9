using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using MemorySync.Cli.Import;

namespace MemorySync.Cli.Commands;

/// <summary>
/// <c>memsync import FILE.jsonl</c>: the seed's sync_batch over a file, with progress, through transient failures;
/// prints {synced, unchanged, failed, errors} and, with --report, what became of every line.
/// </summary>
internal static class ImportCommand
{
    private const int BatchSize = 250;

    // Enough for the silo to embed one batch while it commits another; more would only queue on its two cores.
    private const int BatchesAtOnce = 3;

    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON Lines file: one memory object per line" };
        var resume = new Option<bool>("--resume") { Description = "Skip lines the store already holds with the same content (after a partial import)" };
        var attempts = new Option<int>("--attempts")
        {
            Description = "Tries per batch when the silo or a store is away (timeouts, a restart)",
            DefaultValueFactory = _ => 6,
        };
        var retryPause = new Option<string>("--retry-pause")
        {
            Description = "Pause before the first retry (1s, 2s, ...); it doubles up to 8s",
            DefaultValueFactory = _ => "1s",
        };
        var report = new Option<FileInfo?>("--report") { Description = "Write one JSON line per input line: line, memory_id, status (stored, unchanged, failed), error" };
        var command = new Command("import", "Store every memory of a JSON Lines file") { file, resume, attempts, retryPause, report };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliInputException($"{path.FullName} does not exist");
            }

            var tries = parse.GetValue(attempts) is var count and >= 1 and <= 100 ? count
                : throw new CliInputException($"--attempts: {parse.GetValue(attempts)} is not in [1, 100]");
            var pause = Durations.Parse("--retry-pause", parse.GetValue(retryPause)!);
            var (lines, outcomes) = await ReadAsync(path, cancellationToken);
            // Batches in flight report retries while the progress bar redraws: one lock around the terminal.
            var error = TextWriter.Synchronized(context.Error);
            var progress = new ProgressBar(error, lines.Count, "memories");
            var import = new ResilientImport(client, tries, pause, error);
            var done = 0;
            var clock = Stopwatch.StartNew();
            var skipUnchanged = parse.GetValue(resume);
            await new BatchesInFlight<ImportLine, ImportOutcome>(BatchesAtOnce, line => line.Write.MemoryId).RunAsync(lines.Chunk(BatchSize),
                batch => import.StoreAsync(batch, skipUnchanged), (batch, stored) =>
                {
                    outcomes.AddRange(stored);
                    done += batch.Length;
                    progress.Report(done);
                });

            outcomes.Sort((left, right) => left.Line.CompareTo(right.Line));
            if (parse.GetValue(report) is { } reportFile)
            {
                await File.WriteAllLinesAsync(reportFile.FullName, outcomes.Select(outcome => JsonSerializer.Serialize(outcome, ReportJson)), cancellationToken);
            }

            return await PrintAsync(context, parse, outcomes, clock.Elapsed);
        }, cancellationToken));
        return command;
    }

    private static readonly JsonSerializerOptions ReportJson = new(MemorySyncJson.Options) { WriteIndented = false };

    private static async Task<int> PrintAsync(CliContext context, ParseResult parse, List<ImportOutcome> outcomes, TimeSpan elapsed)
    {
        var synced = outcomes.Count(outcome => outcome.Status == ImportOutcome.Stored);
        var unchanged = outcomes.Count(outcome => outcome.Status == ImportOutcome.Unchanged);
        var failed = outcomes.Where(outcome => outcome.Status == ImportOutcome.Failed).ToList();
        var errors = failed.Select(outcome => new { memory_id = outcome.MemoryId, line = outcome.Line, error = outcome.Error }).ToList();
        var summary = new { synced, unchanged, failed = failed.Count, errors };
        var rate = synced / Math.Max(elapsed.TotalSeconds, 1e-3);
        var human = $"synced {synced}, unchanged {unchanged}, failed {failed.Count} ({rate:F0} memories/s)" +
            string.Concat(failed.Take(20).Select(outcome => $"{Environment.NewLine}  line {outcome.Line} {outcome.MemoryId}: {outcome.Error}"));
        await context.PrintAsync(parse, MemorySyncJson.Serialize(summary), human);
        // A line the silo refused is bad input; one that never got through is the cluster's fault.
        return failed.Count == 0 ? CliContext.ExitOk
            : failed.All(outcome => outcome.Error is { } error && error.StartsWith("not stored after", StringComparison.Ordinal)) ? CliContext.ExitUnreachable
            : CliContext.ExitInvalidInput;
    }

    // Lines that are not memories are reported by line number and never sent.
    private static async Task<(List<ImportLine> Lines, List<ImportOutcome> Outcomes)> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var lines = new List<ImportLine>();
        var outcomes = new List<ImportOutcome>();
        await foreach (var line in StrictUtf8Lines.ReadAsync(file.FullName, cancellationToken))
        {
            if (line.Error is not null)
            {
                outcomes.Add(new ImportOutcome(line.Number, $"line {line.Number}", ImportOutcome.Failed, line.Error));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            try
            {
                lines.Add(new ImportLine(line.Number, MemoryJsonLine.Parse(line.Text)));
            }
            catch (Exception exception) when (exception is JsonException or CliInputException or InvalidOperationException or FormatException)
            {
                outcomes.Add(new ImportOutcome(line.Number, $"line {line.Number}", ImportOutcome.Failed, exception.Message));
            }
        }

        return (lines, outcomes);
    }
}
