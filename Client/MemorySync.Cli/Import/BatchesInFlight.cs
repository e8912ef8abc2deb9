namespace MemorySync.Cli.Import;

/// <summary>
/// Sends batches with up to <c>width</c> of them in flight, so the silo embeds one batch while it commits another. Two
/// batches that name the same memory are never in flight together: the later one waits for the earlier, so a file's
/// later line for a memory is still stored after its earlier one.
/// </summary>
internal sealed class BatchesInFlight<TLine, TOutcome>(int width, Func<TLine, string> memoryIdOf)
{
    private readonly List<(HashSet<string> Ids, Task<IReadOnlyList<TOutcome>> Sending)> _inFlight = [];

    /// <summary>
    /// Sends every batch through <paramref name="send"/>, calling <paramref name="completed"/> as each one ends (in the
    /// order they end), and returns once all have.
    /// </summary>
    public async Task RunAsync(IEnumerable<TLine[]> batches, Func<TLine[], Task<IReadOnlyList<TOutcome>>> send,
        Action<TLine[], IReadOnlyList<TOutcome>> completed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var batchOf = new Dictionary<Task<IReadOnlyList<TOutcome>>, TLine[]>();
        foreach (var batch in batches)
        {
            var ids = batch.Select(memoryIdOf).ToHashSet(StringComparer.Ordinal);
            while (_inFlight.Count >= width || _inFlight.Any(other => other.Ids.Overlaps(ids)))
            {
                await FinishOneAsync(batchOf, completed);
            }

            var sending = send(batch);
            batchOf[sending] = batch;
            _inFlight.Add((ids, sending));
        }

        while (_inFlight.Count > 0)
        {
            await FinishOneAsync(batchOf, completed);
        }
    }

    private async Task FinishOneAsync(Dictionary<Task<IReadOnlyList<TOutcome>>, TLine[]> batchOf, Action<TLine[], IReadOnlyList<TOutcome>> completed)
    {
        var done = await Task.WhenAny(_inFlight.Select(flight => flight.Sending));
        _inFlight.RemoveAll(flight => flight.Sending == done);
        completed(batchOf[done], await done);
        batchOf.Remove(done);
    }
}
