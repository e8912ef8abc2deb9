using System.Text;

namespace MemorySync.Cli.Bench;

/// <summary>
/// The benchmark's generated memories: about 1 KB of sentence-like content, a 384-d unit vector drawn around one of
/// 300 topic centres with Gaussian noise (0.08 per dimension: the shape of sentence embeddings, whose neighbours share
/// a topic; on uniform noise no index type beats a full scan), small metadata. Seeded, so runs compare.
/// </summary>
internal sealed class BenchRecords(int seed, int dimension = BenchRecords.Dimension, int contentBytes = 1024)
{
    /// <summary>The bundled MiniLM model's dimension, which the silo's index has by default.</summary>
    public const int Dimension = 384;

    private const int Clusters = 300;
    private const double Noise = 0.08;

    private static readonly string[] Words =
    [
        "user", "meeting", "project", "travel", "budget", "garden", "recipe", "doctor", "invoice", "weekend", "train", "flight",
        "deadline", "family", "coffee", "report", "library", "piano", "bicycle", "museum", "holiday", "contract", "kitchen",
        "review", "allergy", "birthday", "school", "camera", "market", "river", "concert", "password", "server", "release",
    ];

    private readonly float[][] _centres = CreateCentres(seed, dimension);

    public string IdOf(string prefix, int index) => $"{prefix}-{index:D7}";

    public MemoryWrite Create(string prefix, int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        return new MemoryWrite(IdOf(prefix, index), Content(random, index), MemoryTypes.Episodic, Math.Round(random.NextDouble(), 3),
            $$"""{"bench":true,"n":{{index}}}""", Vector(random, index % Clusters), AgentId: $"bench-agent-{index % 5}");
    }

    /// <summary>The first <paramref name="count"/> records' vectors, row after row (row i is label i), as the bench indexes them.</summary>
    public float[] Vectors(int count)
    {
        var rows = new float[(long)count * dimension];
        for (var i = 0; i < count; i++)
        {
            // A record's vector depends on its index only, never on the id prefix.
            Create(string.Empty, i).Embedding!.CopyTo(rows, (long)i * dimension);
        }

        return rows;
    }

    /// <summary>A query shaped like the records (near one of their centres), never equal to any of them.</summary>
    public float[] Query(int index)
    {
        var random = new Random(HashCode.Combine(seed, "query", index));
        return Vector(random, index % Clusters);
    }

    private string Content(Random random, int index)
    {
        var builder = new StringBuilder(contentBytes + 32).Append("Bench memory ").Append(index).Append(':');
        while (builder.Length < contentBytes)
        {
            builder.Append(' ').Append(Words[random.Next(Words.Length)]);
        }

        return builder.ToString();
    }

    private float[] Vector(Random random, int cluster)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = _centres[cluster][i] + (float)(Noise * Gaussian(random));
        }

        return Normalize(vector);
    }

    private static float[][] CreateCentres(int seed, int dimension)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Clusters).Select(_ =>
            Normalize(Enumerable.Range(0, dimension).Select(_ => (float)Gaussian(random)).ToArray())).ToArray();
    }

    // A standard normal draw (Box-Muller).
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float[] Normalize(float[] vector)
    {
        var norm = (float)Math.Sqrt(vector.Sum(value => (double)value * value));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }
}
