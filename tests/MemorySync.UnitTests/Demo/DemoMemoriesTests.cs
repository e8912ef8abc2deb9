extern alias cli;

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using cli::MemorySync.Cli.Demo;

namespace MemorySync.UnitTests.Demo;

public sealed partial class DemoMemoriesTests
{
    private static readonly IReadOnlyList<MemoryWrite> Memories = DemoMemories.Generate();

    [Fact]
    public void Generate_CalledTwice_ReturnsTheSameMemoriesInTheSameOrder()
    {
        Assert.Equal(Memories, DemoMemories.Generate());
    }

    [Fact]
    public void Generate_ReturnsBetween300And400Memories()
    {
        Assert.InRange(Memories.Count, 300, 400);
    }

    [Fact]
    public void Generate_GivesEveryMemoryAUniqueIdAndAgentThatTheSiloAccepts()
    {
        Assert.Equal(Memories.Count, Memories.Select(memory => memory.MemoryId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Memories, memory =>
        {
            Assert.Matches(IdPattern(), memory.MemoryId);
            Assert.True(memory.MemoryId.Length <= 128, memory.MemoryId);
            Assert.Matches(IdPattern(), memory.AgentId);
            Assert.True(memory.AgentId.Length <= 64, memory.AgentId);
        });
    }

    [Fact]
    public void Generate_CoversAtLeastFourAgentsEachWithEveryMemoryType()
    {
        var typesByAgent = Memories
            .GroupBy(memory => memory.AgentId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(memory => memory.MemoryType).ToHashSet(StringComparer.Ordinal));

        Assert.True(typesByAgent.Count >= 4, $"only {typesByAgent.Count} agents");
        Assert.All(typesByAgent, agent => Assert.Equal(MemoryTypes.All.Order(StringComparer.Ordinal), agent.Value.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Generate_KeepsImportanceWithinZeroAndOneAndVariesIt()
    {
        Assert.All(Memories, memory => Assert.InRange(memory.Importance, 0.0, 1.0));
        Assert.True(Memories.Select(memory => memory.Importance).Distinct().Count() >= 20, "importance hardly varies");
    }

    [Fact]
    public void Generate_GivesEveryMemoryMetadataThatIsAJsonObjectWithATopic()
    {
        Assert.All(Memories, memory =>
        {
            Assert.NotNull(memory.MetadataJson);
            using var metadata = JsonDocument.Parse(memory.MetadataJson);
            Assert.Equal(JsonValueKind.Object, metadata.RootElement.ValueKind);
            Assert.Equal(JsonValueKind.String, metadata.RootElement.GetProperty("topic").ValueKind);
        });
    }

    [Fact]
    public void Generate_LeavesEmbeddingToTheSilo()
    {
        Assert.All(Memories, memory => Assert.Null(memory.Embedding));
    }

    [Fact]
    public void Generate_WritesDistinctContentsThatAreNotNearDuplicates()
    {
        Assert.All(Memories, memory => Assert.False(string.IsNullOrWhiteSpace(memory.Content)));
        Assert.Equal(Memories.Count, Memories.Select(memory => memory.Content).Distinct(StringComparer.Ordinal).Count());

        // Two memories that share almost every word would be the same memory with one detail swapped.
        var words = Memories.Select(memory => Words(memory.Content)).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            for (var j = i + 1; j < words.Length; j++)
            {
                var shared = words[i].Intersect(words[j]).Count();
                var similarity = (double)shared / (words[i].Count + words[j].Count - shared);
                Assert.True(similarity < 0.6, $"'{Memories[i].Content}' and '{Memories[j].Content}' share {similarity:P0} of their words");
            }
        }
    }

    [Fact]
    public void Queries_EachExpectAMemoryThatExistsForTheQueriedAgentWithoutCopyingIt()
    {
        Assert.InRange(DemoMemories.Queries.Count, 4, 6);
        Assert.All(DemoMemories.Queries, query =>
        {
            var answers = Memories
                .Where(memory => memory.MemoryId.StartsWith(query.ExpectedMemoryIdPrefixOrId, StringComparison.Ordinal))
                .ToList();
            Assert.NotEmpty(answers);
            if (query.AgentId is not null)
            {
                Assert.All(answers, answer => Assert.Equal(query.AgentId, answer.AgentId));
            }

            Assert.All(answers, answer => Assert.DoesNotContain(query.Text, answer.Content, StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public void WriteJsonl_WritesOneObjectPerMemoryThatParsesBackToTheSameMemory()
    {
        using var writer = new StringWriter();
        DemoMemories.WriteJsonl(writer);

        var text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text[..^1].Split('\n');
        Assert.Equal(Memories.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!.AsObject();
            var expected = Memories[i];
            Assert.Equal(
                ["agent_id", "content", "importance", "memory_id", "memory_type", "metadata"],
                line.Select(property => property.Key).Order(StringComparer.Ordinal));
            var parsed = new MemoryWrite(
                MemoryId: line["memory_id"]!.GetValue<string>(),
                Content: line["content"]!.GetValue<string>(),
                MemoryType: line["memory_type"]!.GetValue<string>(),
                Importance: line["importance"]!.GetValue<double>(),
                MetadataJson: expected.MetadataJson,
                Embedding: null,
                AgentId: line["agent_id"]!.GetValue<string>());
            Assert.Equal(expected, parsed);
            Assert.IsType<JsonObject>(line["metadata"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.MetadataJson!), line["metadata"]), lines[i]);
        }
    }

    private static HashSet<string> Words(string content) =>
        content.Split([' ', ',', '.', ';', ':', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex IdPattern();
}
