using MemorySync.Client;

namespace MemorySync.Cli.Import;

/// <summary>
/// Sends an import's lines in batches and keeps going through transient failures: a batch that failed because the
/// silo left, a call timed out or a store restarted is sent again after a growing pause, less the lines the store
/// now holds with the same content (the failed call may have stored them), so no line is stored twice.
/// </summary>
internal sealed class ResilientImport(MemorySyncClient client, int attempts, TimeSpan firstPause, TextWriter notices)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(8);

    /// <summary>Stores one batch; <paramref name="skipUnchanged"/> also skips, on the first try, lines already stored as they are (--resume).</summary>
    public async Task<IReadOnlyList<ImportOutcome>> StoreAsync(IReadOnlyList<ImportLine> batch, bool skipUnchanged)
    {
        var outcomes = new List<ImportOutcome>(batch.Count);
        var pending = batch.ToList();
        var lastError = string.Empty;
        var pause = firstPause;
        for (var attempt = 1; attempt <= attempts && pending.Count > 0; attempt++)
        {
            if (attempt > 1)
            {
                // Said on stderr as it happens, so whoever watches a long import knows why it stands still.
                await notices.WriteLineAsync($"lines {batch[0].Number}-{batch[^1].Number}: {lastError}; retrying in {pause.TotalSeconds:0.#}s (attempt {attempt} of {attempts})").ConfigureAwait(false);
                await Task.Delay(pause).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }

            try
            {
                if (skipUnchanged || attempt > 1)
                {
                    // On a retry, a line found as it is was stored by the attempt that failed; on --resume, by an earlier run.
                    pending = await DropStoredAsync(pending, outcomes, attempt > 1 ? ImportOutcome.Stored : ImportOutcome.Unchanged).ConfigureAwait(false);
                    if (pending.Count == 0)
                    {
                        break;
                    }
                }

                var result = await client.SyncBatchAsync([.. pending.Select(line => line.Write)]).ConfigureAwait(false);
                var failedIds = result.Errors.ToLookup(error => error.MemoryId, error => error.Error);
                var retry = new List<ImportLine>();
                foreach (var line in pending)
                {
                    if (failedIds[line.Write.MemoryId].FirstOrDefault() is not { } error)
                    {
                        outcomes.Add(new ImportOutcome(line.Number, line.Write.MemoryId, ImportOutcome.Stored));
                    }
                    else if (TransientFailure.Is(error))
                    {
                        retry.Add(line);
                        lastError = error;
                    }
                    else
                    {
                        outcomes.Add(new ImportOutcome(line.Number, line.Write.MemoryId, ImportOutcome.Failed, error));
                    }
                }

                pending = retry;
            }
            catch (Exception exception) when (TransientFailure.Is(exception))
            {
                lastError = FirstLine(exception.Message);
            }
        }

        outcomes.AddRange(pending.Select(line => new ImportOutcome(line.Number, line.Write.MemoryId, ImportOutcome.Failed,
            $"not stored after {attempts} attempts: {lastError}")));
        return outcomes;
    }

    private async Task<List<ImportLine>> DropStoredAsync(List<ImportLine> lines, List<ImportOutcome> outcomes, string status)
    {
        var stored = await Task.WhenAll(lines.Select(line => client.GetAsync(line.Write.MemoryId))).ConfigureAwait(false);
        var remaining = new List<ImportLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            if (SameContent.Holds(stored[i], lines[i].Write))
            {
                outcomes.Add(new ImportOutcome(lines[i].Number, lines[i].Write.MemoryId, status));
            }
            else
            {
                remaining.Add(lines[i]);
            }
        }

        return remaining;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
