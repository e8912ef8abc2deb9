using MemorySync.Operations;
using MemorySync.Silo.Access;
using MemorySync.Silo.Status;
using Microsoft.AspNetCore.Mvc;

namespace MemorySync.Silo.Api;

/// <summary><c>/v1/admin</c>: the operator's routes, for admin keys only.</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder v1)
    {
        var admin = v1.MapGroup("/admin").RequireAuthorization(ApiPolicies.Admin).WithTags("admin");

        admin.MapGet("/stats", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IStatsGrain>(0).GetAsync()))
            .WithSummary("Sync statistics from PostgreSQL (memsync stats)")
            .Produces<SyncStatistics>()
            .ProducesApiProblems(401, 403, 429, 503);

        admin.MapPost("/check", async (IGrainFactory grains) => TypedResults.Ok(await ConsistencyRuns.CheckAsync(grains)))
            .WithSummary("Compare every memory across the three stores now")
            .WithDescription("Answers {memory_id: [stores that are missing or stale]} (the seed's check_consistency()).")
            .Produces<IReadOnlyDictionary<string, IReadOnlyList<string>>>()
            .ProducesApiProblems(401, 403, 429, 503);

        admin.MapPost("/repair", async ([FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)]
                Dictionary<string, IReadOnlyList<string>>? body, IGrainFactory grains) =>
            {
                var inconsistencies = body ?? await ConsistencyRuns.CheckAsync(grains);
                return TypedResults.Ok(await ConsistencyRuns.RepairAsync(grains, inconsistencies));
            })
            .WithSummary("Repair what a check found")
            .WithDescription("Body: a check's answer ({memory_id: [stores]}); with no body, checks first and repairs what it found. Answers {memory_id: true|false}.")
            .Produces<IReadOnlyDictionary<string, bool>>()
            .ProducesApiProblems(400, 401, 403, 413, 429, 503);

        admin.MapPost("/reindex", async ([FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)]
                ReindexBody? body, IGrainFactory grains, CancellationToken cancellationToken) =>
                TypedResults.Ok(await ReindexRuns.RunAsync(grains, body?.ReembedAll ?? false, cancellationToken: cancellationToken)))
            .WithSummary("Rebuild every index shard from PostgreSQL, and wait for it")
            .Produces<IReadOnlyList<ReindexProgress>>()
            .ProducesApiProblems(400, 401, 403, 429, 503);

        admin.MapGet("/outbox", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IOutboxGrain>(0).GetStatusAsync()))
            .WithSummary("Pending outbox rows and dead letters (memsync outbox)")
            .Produces<OutboxStatus>()
            .ProducesApiProblems(401, 403, 429, 503);

        admin.MapPost("/outbox/retry", async (IGrainFactory grains, CancellationToken cancellationToken, string store = "all") =>
                TypedResults.Ok(await OutboxRetries.RunAsync(grains, store, cancellationToken)))
            .WithSummary("Put dead letters back to pending (memsync outbox retry)")
            .WithDescription("Query store: redis, faiss or all (the default). Answers {store, requeued, completed}; silos also do this by themselves when they see a store recover.")
            .Produces<OutboxRetryResult>()
            .ProducesApiProblems(400, 401, 403, 429, 503);

        admin.MapGet("/health", async (StatusReadings readings) =>
            {
                var report = await readings.HealthAsync();
                return report.Overall == StoreState.Unhealthy
                    ? Results.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable)
                    : TypedResults.Ok(report);
            })
            .WithSummary("Every store's health, as this silo sees it")
            .Produces<HealthReport>()
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable)
            .ProducesApiProblems(401, 403, 429);

        return v1;
    }
}
