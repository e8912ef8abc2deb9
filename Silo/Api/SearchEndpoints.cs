using System.Security.Claims;
using MemorySync.Documents;
using MemorySync.Silo.Access;
using Microsoft.AspNetCore.Mvc;

namespace MemorySync.Silo.Api;

/// <summary><c>/v1/search</c> and <c>/v1/conflicts</c>: reads across the caller's agents.</summary>
internal static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/search", async ([FromBody] SearchBody body, ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.SearchAsync(ApiCaller.From(user), body)))
            .WithTags("search")
            .WithSummary("Semantic search by text or by vector")
            .WithDescription("Confined to the key's agents whatever the body asks: an agent_id outside them finds nothing.")
            .Produces<IReadOnlyList<SearchHit>>()
            .ProducesApiProblems(400, 401, 413, 429, 503);

        v1.MapGet("/conflicts", async (ClaimsPrincipal user, AgentMemoryService service) =>
                TypedResults.Ok(await service.ConflictsAsync(ApiCaller.From(user))))
            .WithTags("conflicts")
            .WithSummary("Open conflicts of the key's agents' memories")
            .Produces<IReadOnlyList<ConflictDocument>>()
            .ProducesApiProblems(401, 429, 503);

        return v1;
    }
}
