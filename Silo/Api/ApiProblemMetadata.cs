namespace MemorySync.Silo.Api;

internal static class ApiProblemMetadata
{
    /// <summary>Documents each status as a problem+json answer in the OpenAPI document.</summary>
    public static RouteHandlerBuilder ProducesApiProblems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            route.ProducesProblem(status, ApiProblemResults.ContentType);
        }

        return route;
    }
}
