using System.Security.Claims;
using MemorySync.Documents;
using MemorySync.Silo.Access;
using Microsoft.AspNetCore.Mvc;

namespace MemorySync.Silo.Api;

/// <summary><c>/v1/memories</c>: put, get, delete, history, batch and resolve, under the caller's key.</summary>
internal static class MemoryEndpoints
{
    public static RouteGroupBuilder MapMemoryEndpoints(this RouteGroupBuilder v1)
    {
        var memories = v1.MapGroup("/memories").WithTags("memories");

        memories.MapPut("/{id}", async (string id, [FromBody] PutMemoryBody body, [FromHeader(Name = "If-Match")] string? ifMatch,
                ClaimsPrincipal user, HttpResponse response, AgentMemoryService service) =>
            {
                var stored = await service.PutAsync(ApiCaller.From(user), id, body, IfMatch.Parse(ifMatch));
                response.Headers.ETag = IfMatch.ETagOf(stored.Version);
                return TypedResults.Ok(stored);
            })
            .RequireAuthorization(ApiPolicies.Write)
            .WithSummary("Store a new version of a memory")
            .WithDescription("Creates the memory or writes a new version of it in PostgreSQL, Redis and FAISS. If-Match: \"<version>\" makes the write conditional (412 when the memory has moved on).")
            .Produces<MemoryDocument>()
            .ProducesApiProblems(400, 401, 403, 409, 412, 413, 429, 503);

        memories.MapGet("/{id}", async (string id, ClaimsPrincipal user, HttpResponse response, AgentMemoryService service) =>
            {
                var memory = await service.GetAsync(ApiCaller.From(user), id);
                response.Headers.ETag = IfMatch.ETagOf(memory.Version);
                return TypedResults.Ok(memory);
            })
            .WithSummary("Read a memory's current version")
            .Produces<MemoryDocument>()
            .ProducesApiProblems(400, 401, 404, 429, 503);

        memories.MapDelete("/{id}", async (string id, ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.DeleteAsync(ApiCaller.From(user), id)))
            .RequireAuthorization(ApiPolicies.Write)
            .WithSummary("Delete a memory")
            .WithDescription("Writes a tombstone version (the history stays in PostgreSQL) and removes the memory from Redis and FAISS.")
            .Produces<MemoryDocument>()
            .ProducesApiProblems(400, 401, 403, 404, 429, 503);

        memories.MapGet("/{id}/history", async (string id, ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.HistoryAsync(ApiCaller.From(user), id)))
            .WithSummary("Every version of a memory, oldest first")
            .Produces<IReadOnlyList<HistoryEntryDocument>>()
            .ProducesApiProblems(400, 401, 404, 429, 503);

        memories.MapPost("/batch", async ([FromBody] BatchBody body, ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.BatchAsync(ApiCaller.From(user), body)))
            .RequireAuthorization(ApiPolicies.Write)
            .WithSummary("Store many memories")
            .WithDescription("At most Api:MaxBatchItems memories; each is stored or refused on its own, and the answer names every refused one and why.")
            .Produces<BatchSyncResult>()
            .ProducesApiProblems(400, 401, 403, 413, 429, 503);

        memories.MapPost("/{id}/resolve", async (string id, [FromBody] ResolveBody body, ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.ResolveAsync(ApiCaller.From(user), id, body)))
            .RequireAuthorization(ApiPolicies.Write)
            .WithSummary("Settle a memory's open conflict")
            .Produces<MemoryDocument>()
            .ProducesApiProblems(400, 401, 403, 404, 409, 429, 503);

        return v1;
    }
}
