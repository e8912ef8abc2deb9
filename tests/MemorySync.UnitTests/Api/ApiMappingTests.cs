using System.Text.Json;
using MemorySync.Search;
using MemorySync.Silo.Api;

namespace MemorySync.UnitTests.Api;

/// <summary>The pure parts of the agent API: If-Match, the error mapping, and which agents a search may see.</summary>
public sealed class ApiMappingTests
{
    [Theory]
    [InlineData("\"3\"", 3L)]
    [InlineData("W/\"3\"", 3L)]
    [InlineData("3", 3L)]
    [InlineData("\"0\"", 0L)]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    public void IfMatch_ReadsTheVersionOfAnETag(string? header, long? version) => Assert.Equal(version, IfMatch.Parse(header));

    [Theory]
    [InlineData("\"latest\"")]
    [InlineData("\"-1\"")]
    [InlineData("*")]
    [InlineData("\"1\", \"2\"")]
    public void IfMatch_ThatNamesNoOneVersion_IsBadInputNamingTheHeader(string header)
    {
        var problem = Assert.Throws<ApiProblemException>(() => IfMatch.Parse(header));
        Assert.Equal(400, problem.Status);
        Assert.Equal("If-Match", problem.Field);
    }

    [Fact]
    public void ETag_RoundTripsThroughIfMatch() => Assert.Equal(42L, IfMatch.Parse(IfMatch.ETagOf(42)));

    [Theory]
    [InlineData("$.importance", "importance", "importance must be a number in [0, 1]")]
    [InlineData("$.memories[2].strategy", "memories[2].strategy", "memories[2].strategy must be one of")]
    [InlineData("$.novel_field", "novel_field", "novel_field has a value of the wrong type")]
    public void AJsonValueThatDoesNotFit_IsBadInputNamingItsField(string path, string field, string detailStart)
    {
        var problem = ApiFailures.ToProblem(new JsonException("The JSON value could not be converted to X. Path: " + path, path, 1, 2))!;

        Assert.Equal(400, problem.Status);
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(detailStart, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MemorySync.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGrainsFailures_MapToTheDocumentedStatuses()
    {
        Assert.Equal((400, "importance"), Status(new MemoryValidationException("importance", "7 is not a number in [0, 1]")));
        Assert.Equal("7 is not a number in [0, 1]", ApiFailures.ToProblem(new MemoryValidationException("importance", "7 is not a number in [0, 1]"))!.Message);
        Assert.Equal((404, null), Status(new ForeignMemoryException("m1")));
        Assert.Equal((409, "base_version"), Status(new MemoryConflictException("m1", 1, 2)));
        Assert.Equal((503, null), Status(new StoreUnavailableException("PostgreSQL did not take it")));
        Assert.Equal((503, null), Status(new TimeoutException()));
        Assert.Null(ApiFailures.ToProblem(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void ASearch_SeesTheAgentItAsksFor_OnlyWithinItsCallersAgents()
    {
        Assert.Null(SearchAgents.Of(new SearchRequest("q")));
        Assert.Equal(["a"], SearchAgents.Of(new SearchRequest("q", AgentId: "a")));
        Assert.Equal(["a", "b"], SearchAgents.Of(new SearchRequest("q", AgentIds: ["a", "b", "a"])));
        Assert.Equal(["b"], SearchAgents.Of(new SearchRequest("q", AgentId: "b", AgentIds: ["a", "b"])));
        Assert.Empty(SearchAgents.Of(new SearchRequest("q", AgentId: "c", AgentIds: ["a", "b"]))!);
    }

    private static (int, string?) Status(Exception exception) => ApiFailures.ToProblem(exception) is { } problem ? (problem.Status, problem.Field) : (500, null);
}
