using System.CommandLine;
using System.Globalization;

namespace MemorySync.Cli.Commands;

/// <summary><c>memsync search (--text TEXT | --embedding f,...) [-k N] [--agent A] [--type T]</c>.</summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var text = new Option<string?>("--text") { Description = "Search by meaning of this text" };
        var embedding = new Option<string?>("--embedding") { Description = "Search by this vector (comma-separated floats)" };
        var k = new Option<int>("-k", "--top") { Description = "How many results", DefaultValueFactory = _ => 10 };
        var agent = new Option<string?>("--agent") { Description = "Only this agent's memories" };
        var types = new Option<string[]>("--type") { Description = "Only these memory types (repeatable)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("search", "Semantic search over all memories") { text, embedding, k, agent, types };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async client =>
        {
            var requestTypes = parse.GetValue(types);
            var request = new SearchRequest(parse.GetValue(text), Arguments.Embedding(parse.GetValue(embedding)), parse.GetValue(k),
                parse.GetValue(agent), requestTypes is { Length: > 0 } ? requestTypes : null);
            var hits = await client.SearchAsync(request);
            var human = hits.Count == 0
                ? "no matches"
                : string.Join(Environment.NewLine, hits.Select(hit =>
                    $"{hit.Score.ToString("F3", CultureInfo.InvariantCulture)}  {hit.MemoryId}  {Shorten(hit.Content)}"));
            return await context.PrintAsync(parse, MemorySyncJson.Serialize(hits), human);
        }, cancellationToken));
        return command;
    }

    private static string Shorten(string content) => content.Length <= 100 ? content : content[..99] + "…";
}
