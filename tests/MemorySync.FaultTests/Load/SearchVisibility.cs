using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MemorySync.FaultTests.Load;

/// <summary>
/// How soon searches find acknowledged writes. A marker memory of its own (no other write touches it) is written with
/// a random vector, then searched for by that vector until it is among the hits. Two times per marker: from the
/// acknowledgement to the first search that finds it, and how long searches that answered kept answering without it
/// (the time searches failed outright is the fault's unavailability, measured elsewhere).
/// </summary>
internal sealed class SearchVisibility
{
    /// <summary>How long answering searches may miss an acknowledged write before the scenario fails.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentQueue<(TimeSpan Lag, TimeSpan StaleAnswers)> _found = new();
    private readonly ConcurrentQueue<string> _missed = new();

    public int Found => _found.Count;

    /// <summary>The markers that answering searches still missed after <see cref="Bound"/>.</summary>
    public IReadOnlyList<string> Missed => [.. _missed];

    /// <summary>The longest time from a marker's acknowledgement to a search finding it (0 with no marker found).</summary>
    public TimeSpan LongestLag => _found.IsEmpty ? TimeSpan.Zero : _found.Max(marker => marker.Lag);

    /// <summary>The longest time searches answered without a marker after it was acknowledged.</summary>
    public TimeSpan LongestStaleAnswers => _found.IsEmpty ? TimeSpan.Zero : _found.Max(marker => marker.StaleAnswers);

    /// <summary>
    /// Searches for the acknowledged marker until found; stops early (counting nothing) when <paramref name="stop"/>
    /// fires, since the workload ended under it.
    /// </summary>
    public async Task FollowAsync(Func<float[], Task<IReadOnlyList<SearchHit>?>> search, string memoryId, float[] vector, CancellationToken stop)
    {
        var sinceAcknowledged = Stopwatch.StartNew();
        TimeSpan? firstAnswerWithout = null;
        while (!stop.IsCancellationRequested)
        {
            var hits = await search(vector);
            if (hits is not null)
            {
                if (hits.Any(hit => hit.MemoryId == memoryId))
                {
                    var lag = sinceAcknowledged.Elapsed;
                    _found.Enqueue((lag, lag - (firstAnswerWithout ?? lag)));
                    return;
                }

                firstAnswerWithout ??= sinceAcknowledged.Elapsed;
                if (sinceAcknowledged.Elapsed - firstAnswerWithout > Bound)
                {
                    _missed.Enqueue(string.Create(CultureInfo.InvariantCulture,
                        $"{memoryId}: searches answered without it for {Bound.TotalSeconds:F0} s after it was acknowledged"));
                    return;
                }
            }

            try
            {
                await Task.Delay(PollInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
