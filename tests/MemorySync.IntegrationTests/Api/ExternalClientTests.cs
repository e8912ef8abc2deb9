using System.Text.Json.Nodes;

namespace MemorySync.IntegrationTests.Api;

/// <summary>
/// The agent API as agents in other languages meet it: the official MCP TypeScript SDK, the standard-library Python
/// client in examples/python, and the OpenAPI document checked by an independent validator and against the routes.
/// </summary>
[Collection(AgentApiCollection.Name)]
public sealed class ExternalClientTests(AgentApiFixture api)
{
    private Dictionary<string, string> ClientEnvironment => new()
    {
        ["MEMSYNC_URL"] = api.Http.BaseAddress!.ToString().TrimEnd('/'),
        ["MEMSYNC_KEY_A"] = api.WriteA.Key,
        ["MEMSYNC_KEY_B"] = api.WriteB.Key,
        ["MEMSYNC_READ_KEY_A"] = api.ReadA.Key,
        ["MEMSYNC_AGENT_A"] = api.AgentA,
        ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
    };

    [Fact]
    public async Task TheMcpTypeScriptSdk_ListsAndCallsEveryTool_AndAnotherAgentsKeyNeitherSeesNorForgets()
    {
        var summary = JsonNode.Parse(await ExternalClients.RunAsync("node", "mcp-check.mjs", ClientEnvironment))!;

        Assert.True(summary["ok"]!.GetValue<bool>());
        Assert.Equal(["forget", "get_memory", "memory_history", "recall", "remember"],
            summary["tools"]!.AsArray().Select(tool => tool!.GetValue<string>()).Order(StringComparer.Ordinal));
        // What the script remembered and forgot through MCP is a tombstone in PostgreSQL, made by key A alone.
        var memoryId = summary["memory_id"]!.GetValue<string>();
        var row = await api.Stores.PostgresAsync(memoryId);
        Assert.NotNull(row);
        Assert.True(row.Deleted);
        Assert.Equal(3, row.Version);
    }

    [Fact]
    public async Task ThePythonClient_PutsGetsSearchesBatchesAndDeletes_RaisingProblemsAsExceptions()
    {
        var summary = JsonNode.Parse(await ExternalClients.RunAsync("python3", "python_client_check.py", ClientEnvironment))!;

        Assert.True(summary["ok"]!.GetValue<bool>());
        Assert.True(summary["checked"]!.GetValue<int>() >= 20, $"the Python check ran only {summary["checked"]} checks");
    }

    [Fact]
    public async Task TheOpenApiDocument_IsValidOpenApi3_AndDocumentsEveryRouteWithItsBearerScheme()
    {
        var text = await api.Http.GetStringAsync("/openapi/v1.json");
        var file = Path.Combine(Path.GetTempPath(), $"memsync-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var lint = JsonNode.Parse(await ExternalClients.RunAsync("node", "openapi-lint.mjs", ClientEnvironment, file))!;
            Assert.True(lint["valid"]!.GetValue<bool>(), lint.ToJsonString());
            Assert.StartsWith("3.", lint["version"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        var document = JsonNode.Parse(text)!;
        var operations = OpenApiRoutes.Operations(document).Select(operation => $"{operation.Method} {operation.Path}").ToHashSet();
        Assert.Equal(OpenApiRoutes.Expected.Select(route => $"{route.Method} {route.Path}").ToHashSet(), operations);
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["ApiKey"]!["scheme"]!.GetValue<string>());
        foreach (var operation in OpenApiRoutes.Operations(document))
        {
            Assert.True(operation.Responses.Contains("200") && operation.Responses.Contains("401") && operation.Responses.Contains("429"),
                $"{operation.Method} {operation.Path} documents only {string.Join(", ", operation.Responses)}");
        }
    }

    [Fact]
    public async Task EveryDocumentedRoute_AnswersAsDocumented()
    {
        var document = JsonNode.Parse(await api.Http.GetStringAsync("/openapi/v1.json"))!;
        foreach (var operation in OpenApiRoutes.Operations(document))
        {
            var route = OpenApiRoutes.Expected.Single(expected => expected.Method == operation.Method && expected.Path == operation.Path);
            var id = $"doc-{Guid.NewGuid():N}";
            Assert.Equal(200, (await api.As(api.Admin).PutAsync(id, new { content = "a documented memory" })).Code);
            var path = operation.Path.Replace("{id}", id, StringComparison.Ordinal);

            var ok = await route.CallAsync(api.As(api.Admin), path);
            var expected = route.Path.EndsWith("/resolve", StringComparison.Ordinal) ? "409" : "200";
            Assert.True(ok.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected,
                $"{operation.Method} {operation.Path}: expected {expected}, got {ok}");
            Assert.Contains(expected, operation.Responses);
            if (expected == "200")
            {
                var missing = OpenApiRoutes.MissingRequiredFields(document, operation, ok.Body);
                Assert.True(missing.Count == 0, $"{operation.Method} {operation.Path}: the answer lacks documented fields {string.Join(", ", missing)}: {ok}");
            }
            else
            {
                Assert.Equal("application/problem+json", ok.ContentType);
            }

            var anonymous = await route.CallAsync(api.As(null), path);
            Assert.Equal(401, anonymous.Code);
        }
    }
}
