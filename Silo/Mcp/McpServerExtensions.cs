using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MemorySync.Silo.Access;
using MemorySync.Silo.Api;
using ModelContextProtocol;

namespace MemorySync.Silo.Mcp;

/// <summary>The MCP server at /mcp (streamable HTTP, stateless): the memory tools, under the agent API's keys and rate limits.</summary>
public static class McpServerExtensions
{
    /// <summary>Needs <see cref="AgentApiExtensions.AddMemorySyncAgentApi"/> first: its keys, limits and JSON are the tools'.</summary>
    public static WebApplicationBuilder AddMemorySyncMcp(this WebApplicationBuilder builder)
    {
        builder.Services.AddMcpServer()
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools<MemoryTools>(McpToolJson());
        return builder;
    }

    /// <summary>After <see cref="AgentApiExtensions.MapMemorySyncAgentApi"/>, whose authentication and rate limiter it uses.</summary>
    public static WebApplication MapMemorySyncMcp(this WebApplication app)
    {
        app.MapMcp("/mcp").RequireAuthorization(ApiPolicies.Read).RequireRateLimiting(ApiPolicies.PerKeyRateLimit);
        return app;
    }

    // The tools' results are MemorySync's documents; the SDK's own types keep their protocol names.
    private static JsonSerializerOptions McpToolJson() => AgentApiExtensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(McpJsonUtilities.DefaultOptions.TypeInfoResolver, new DefaultJsonTypeInfoResolver()),
    });
}
