using MemorySync.Configuration;
using MemorySync.Documents;
using MemorySync.Model;
using MemorySync.Silo.Access;
using Microsoft.Extensions.Options;

namespace MemorySync.Silo.Api;

/// <summary>
/// The agent calls behind both doors, HTTP /v1 and MCP: each checks the caller's key against the memory's agent and
/// calls the grains in this silo. A refusal is an <see cref="ApiProblemException"/>, raised before anything is stored.
/// </summary>
internal sealed class AgentMemoryService(IGrainFactory grains, IOptions<ApiOptions> apiOptions, IOptions<MemoryOptions> memoryOptions)
{
    public async Task<MemoryDocument> PutAsync(ApiCaller caller, string memoryId, PutMemoryBody body, long? ifMatch)
    {
        RequireId(memoryId);
        var write = new MemoryWrite(memoryId, body.Content ?? string.Empty, body.MemoryType ?? MemoryTypes.Episodic, body.Importance ?? 0.5,
            body.Metadata?.GetRawText(), body.Embedding, await WriteAgentAsync(caller, memoryId, body.AgentId), WriterOf(caller), BaseVersion: body.BaseVersion,
            Timestamp: HybridLogicalClock.Shared.Next(), Strategy: body.Strategy, Mode: body.Mode ?? SyncMode.Eventual,
            CallerAgents: caller.BoundAgents, ExpectedVersion: ifMatch);
        try
        {
            return MemoryDocument.From(await Memory(memoryId).UpsertAsync(write));
        }
        catch (ForeignMemoryException)
        {
            throw ApiProblemException.Conflict($"memory_id {memoryId} is taken by a memory this key cannot see; choose another id", "memory_id");
        }
        catch (MemoryConflictException conflict) when (ifMatch is not null)
        {
            throw ApiProblemException.PreconditionFailed(conflict.Message);
        }
    }

    public async Task<MemoryDocument> GetAsync(ApiCaller caller, string memoryId)
    {
        RequireId(memoryId);
        var record = await Memory(memoryId).GetAsync();
        return record is not null && caller.Sees(record.AgentId) ? MemoryDocument.From(record) : throw ApiProblemException.NotFound(memoryId);
    }

    public async Task<MemoryDocument> DeleteAsync(ApiCaller caller, string memoryId)
    {
        RequireId(memoryId);
        try
        {
            return await Memory(memoryId).DeleteAsync(caller.BoundAgents) is { } tombstone
                ? MemoryDocument.From(tombstone)
                : throw ApiProblemException.NotFound(memoryId);
        }
        catch (ForeignMemoryException)
        {
            throw ApiProblemException.NotFound(memoryId);
        }
    }

    public async Task<IReadOnlyList<HistoryEntryDocument>> HistoryAsync(ApiCaller caller, string memoryId)
    {
        await RequireVisibleAsync(caller, memoryId);
        return HistoryEntryDocument.From(await Memory(memoryId).HistoryAsync());
    }

    public async Task<BatchSyncResult> BatchAsync(ApiCaller caller, BatchBody body)
    {
        var items = body.Memories ?? throw ApiProblemException.BadInput("memories", "is missing: give {\"memories\": [...]}");
        var limit = apiOptions.Value.MaxBatchItems;
        if (items.Count > limit)
        {
            throw ApiProblemException.BadInput("memories", $"{items.Count} items; at most {limit} (Api:MaxBatchItems) in one batch");
        }

        // Items the key may not write are refused one by one, like any other invalid item: the rest go on.
        var refused = new List<BatchSyncError>();
        var writes = new List<MemoryWrite>(items.Count);
        foreach (var item in items)
        {
            try
            {
                writes.Add(new MemoryWrite(item.MemoryId ?? string.Empty, item.Content ?? string.Empty, item.MemoryType ?? MemoryTypes.Episodic,
                    item.Importance ?? 0.5, item.Metadata?.GetRawText(), item.Embedding, await WriteAgentAsync(caller, item.MemoryId, item.AgentId), WriterOf(caller),
                    Timestamp: HybridLogicalClock.Shared.Next(), CallerAgents: caller.BoundAgents));
            }
            catch (ApiProblemException problem)
            {
                refused.Add(new BatchSyncError(item.MemoryId ?? string.Empty, $"{problem.Field}: {problem.Message}"));
            }
        }

        var result = writes.Count == 0 ? new BatchSyncResult(0, 0, []) : await grains.GetGrain<IBatchSyncGrain>(0).SyncBatchAsync(writes);
        return new BatchSyncResult(result.Synced, result.Failed + refused.Count, [.. refused, .. result.Errors]);
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(ApiCaller caller, SearchBody body) =>
        await grains.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(body.Text, body.Embedding, body.K ?? 10, body.AgentId, body.MemoryTypes,
            caller.BoundAgents));

    public async Task<IReadOnlyList<ConflictDocument>> ConflictsAsync(ApiCaller caller)
    {
        var open = await grains.GetGrain<IConflictsGrain>(0).ListOpenAsync();
        if (caller.BoundAgents is null)
        {
            return open.Select(ConflictDocument.From).ToList();
        }

        var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var memoryId in open.Select(conflict => conflict.MemoryId).Distinct(StringComparer.Ordinal))
        {
            owners[memoryId] = await Memory(memoryId).GetOwnerAsync();
        }

        return open.Where(conflict => owners[conflict.MemoryId] is { } owner && caller.Sees(owner)).Select(ConflictDocument.From).ToList();
    }

    public async Task<MemoryDocument> ResolveAsync(ApiCaller caller, string memoryId, ResolveBody body)
    {
        var choice = (body.Keep, body.Content) switch
        {
            ("current", null) => ConflictChoice.KeepCurrent,
            ("incoming", null) => ConflictChoice.KeepIncoming,
            (null, not null) => ConflictChoice.NewContent,
            _ => throw ApiProblemException.BadInput("keep", "give either {\"keep\": \"current\" | \"incoming\"} or {\"content\": \"...\"}"),
        };
        await RequireVisibleAsync(caller, memoryId);
        try
        {
            return MemoryDocument.From(await Memory(memoryId).ResolveAsync(choice, body.Content));
        }
        catch (MemoryValidationException noConflict) when (noConflict.Field == "memory_id")
        {
            throw ApiProblemException.Conflict(noConflict.Message, "memory_id");
        }
    }

    private async Task RequireVisibleAsync(ApiCaller caller, string memoryId)
    {
        RequireId(memoryId);
        if (await Memory(memoryId).GetOwnerAsync() is not { } owner || !caller.Sees(owner))
        {
            throw ApiProblemException.NotFound(memoryId);
        }
    }

    // Checked before any grain is asked: an id outside the charset names no memory, and a huge one must not reach a grain key.
    private void RequireId(string memoryId)
    {
        var maxLength = memoryOptions.Value.MaxIdLength;
        if (!MemoryIds.IsValid(memoryId, maxLength))
        {
            throw ApiProblemException.BadInput("memory_id", $"must be 1-{maxLength} characters from {MemoryIds.Charset}");
        }
    }

    // The agent a write is for: the one it names, if the key may write for it; else the key's only agent; else the agent
    // the memory already belongs to (so an update that names no agent never moves a memory); else "default" for an admin.
    private async Task<string> WriteAgentAsync(ApiCaller caller, string? memoryId, string? requested)
    {
        if (requested is not null)
        {
            return caller.Sees(requested)
                ? requested
                : throw ApiProblemException.Forbidden($"this key may not write for agent '{requested}'", "agent_id");
        }

        if (caller.BoundAgents is [var only])
        {
            return only;
        }

        var owner = MemoryIds.IsValid(memoryId, memoryOptions.Value.MaxIdLength) ? await Memory(memoryId!).GetOwnerAsync() : null;
        return owner is not null && caller.Sees(owner) ? owner
            : caller.BoundAgents is null ? MemoryWrite.DefaultAgent
            : throw ApiProblemException.BadInput("agent_id", $"this key is bound to {caller.Agents.Count} agents: name the one to write for");
    }

    // Version vectors count writes per writer: each key is a writer of its own.
    private static string WriterOf(ApiCaller caller) => $"key:{caller.KeyId}";

    private IMemoryGrain Memory(string memoryId) => grains.GetGrain<IMemoryGrain>(memoryId);
}
