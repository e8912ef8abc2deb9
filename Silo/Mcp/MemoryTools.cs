using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemorySync.Documents;
using MemorySync.Keys;
using MemorySync.Silo.Access;
using MemorySync.Silo.Api;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MemorySync.Silo.Mcp;

/// <summary>
/// The MCP tools: the agent calls of the HTTP API, described for a model, with the same keys and the same agent
/// boundary (they call the same <see cref="AgentMemoryService"/>). A refusal is an error result that says what to fix.
/// </summary>
[McpServerToolType]
internal sealed class MemoryTools(AgentMemoryService service, ILogger<MemoryTools> logger)
{
    [McpServerTool(Name = "remember", Title = "Remember", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true)]
    [Description("Store something worth remembering: a fact, an event, a preference, a procedure. Give memory_id to update an " +
        "existing memory (its earlier versions stay in its history); leave it out to create a new one, whose generated id " +
        "is in the result. Returns the stored memory with its version.")]
    public Task<MemoryDocument> RememberAsync(RequestContext<CallToolRequestParams> context,
        [Description("What to remember, in plain words (at most 64 KiB).")] string content,
        [Description("The id of a memory to update; leave out to create a new memory.")] string? memory_id = null,
        [Description("episodic (an event), semantic (a fact), procedural (how to do something) or working (short-lived); episodic when left out.")] string? memory_type = null,
        [Description("How much this matters, from 0 to 1; 0.5 when left out.")] double? importance = null,
        [Description("A JSON object of labels to keep with the memory, such as {\"topic\": \"travel\"}.")] JsonObject? metadata = null,
        [Description("The agent the memory belongs to; only needed when the key serves several agents.")] string? agent_id = null) =>
        RunAsync("remember", context, ApiScope.Write, caller => service.PutAsync(caller, memory_id ?? NewMemoryId(),
            new PutMemoryBody(content, memory_type, importance, metadata is null ? null : JsonSerializer.SerializeToElement(metadata), AgentId: agent_id), ifMatch: memory_id is null ? 0 : null));

    [McpServerTool(Name = "recall", Title = "Recall", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Find the memories closest in meaning to a question or a topic, best first, each with a score (higher is closer) " +
        "and its content. Use it before answering anything the user may have told you earlier.")]
    public Task<RecallResult> RecallAsync(RequestContext<CallToolRequestParams> context,
        [Description("What to look for, in plain words.")] string query,
        [Description("How many memories to return, 1 to 100; 10 when left out.")] int? k = null,
        [Description("Only these memory types: episodic, semantic, procedural, working.")] string[]? memory_types = null) =>
        RunAsync("recall", context, ApiScope.Read, async caller =>
            new RecallResult(await service.SearchAsync(caller, new SearchBody(query, K: Math.Min(k ?? 10, 100), MemoryTypes: memory_types))));

    [McpServerTool(Name = "get_memory", Title = "Get a memory", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Read one memory by its id: its current content, type, importance, metadata and version.")]
    public Task<MemoryDocument> GetMemoryAsync(RequestContext<CallToolRequestParams> context,
        [Description("The memory's id, as remember or recall gave it.")] string memory_id) =>
        RunAsync("get_memory", context, ApiScope.Read, caller => service.GetAsync(caller, memory_id));

    [McpServerTool(Name = "forget", Title = "Forget", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true)]
    [Description("Delete a memory the user wants forgotten or that is wrong. It leaves recall and get_memory at once; its past " +
        "versions stay in its history. Returns the deleted memory's last version.")]
    public Task<MemoryDocument> ForgetAsync(RequestContext<CallToolRequestParams> context,
        [Description("The id of the memory to delete.")] string memory_id) =>
        RunAsync("forget", context, ApiScope.Write, caller => service.DeleteAsync(caller, memory_id));

    [McpServerTool(Name = "memory_history", Title = "Memory history", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true)]
    [Description("Every version of one memory, oldest first, including a deletion: how it changed and when.")]
    public Task<HistoryResult> MemoryHistoryAsync(RequestContext<CallToolRequestParams> context,
        [Description("The memory's id.")] string memory_id) =>
        RunAsync("memory_history", context, ApiScope.Read, async caller => new HistoryResult(await service.HistoryAsync(caller, memory_id)));

    // Every tool: the key's scope first, then the call; a refusal becomes an error result the model can act on.
    private async Task<T> RunAsync<T>(string tool, RequestContext<CallToolRequestParams> context, ApiScope needed, Func<ApiCaller, Task<T>> call)
    {
        var caller = ApiCaller.From(context.User ?? throw new McpException("this call carries no API key"));
        if (!caller.Allows(needed))
        {
            throw new McpException($"this key has the {ApiScopes.Name(caller.Scope)} scope; {tool} needs {ApiScopes.Name(needed)}");
        }

        try
        {
            return await call(caller);
        }
        catch (Exception exception) when (ApiFailures.ToProblem(exception) is { } problem)
        {
            throw new McpException(problem.Field is null ? problem.Message : $"{problem.Field}: {problem.Message}");
        }
        catch (Exception exception) when (exception is not McpException)
        {
            ApiLog.ToolFailed(logger, exception, tool);
            throw new McpException($"{tool} failed inside MemorySync; the silo's log says why");
        }
    }

    private static string NewMemoryId() => $"m-{Guid.NewGuid():N}";
}

/// <summary>What recall found, best first.</summary>
internal sealed record RecallResult(IReadOnlyList<SearchHit> Results);

/// <summary>A memory's versions, oldest first.</summary>
internal sealed record HistoryResult(IReadOnlyList<HistoryEntryDocument> Versions);
