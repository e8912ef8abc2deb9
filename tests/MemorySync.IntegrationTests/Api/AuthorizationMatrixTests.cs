using System.Net;
using MemorySync.Keys;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Api;

/// <summary>
/// Every kind of caller against every agent call, on a memory of agent A: the status each gets, and on every refusal
/// every store unchanged. "Other" callers hold keys of agent B, for whom A's memory must look exactly like no memory.
/// </summary>
[Collection(AgentApiCollection.Name)]
public sealed class AuthorizationMatrixTests(AgentApiFixture api)
{
    public enum Caller
    {
        NoKey,
        BadKey,
        RevokedKey,
        ReadOwn,
        ReadOther,
        WriteOwn,
        WriteOther,
        Admin,
    }

    public enum Operation
    {
        Get,
        History,
        Put,
        Delete,
        Search,
        Batch,
        Resolve,
        Conflicts,
        AdminStats,
    }

    // The status each caller gets for each operation (docs/agent-api.md). Batch answers 200 with the item refused for
    // a writer of another agent; search answers 200 without A's memory for a reader of another agent.
    private static readonly Dictionary<Caller, int[]> Expected = new()
    {
        //                          Get  History Put  Delete Search Batch Resolve Conflicts AdminStats
        [Caller.NoKey] = [401, 401, 401, 401, 401, 401, 401, 401, 401],
        [Caller.BadKey] = [401, 401, 401, 401, 401, 401, 401, 401, 401],
        [Caller.RevokedKey] = [401, 401, 401, 401, 401, 401, 401, 401, 401],
        [Caller.ReadOwn] = [200, 200, 403, 403, 200, 403, 403, 200, 403],
        [Caller.ReadOther] = [404, 404, 403, 403, 200, 403, 403, 200, 403],
        [Caller.WriteOwn] = [200, 200, 200, 200, 200, 200, 409, 200, 403],
        [Caller.WriteOther] = [404, 404, 409, 404, 200, 200, 404, 200, 403],
        [Caller.Admin] = [200, 200, 200, 200, 200, 200, 409, 200, 200],
    };

    public static TheoryData<Caller, Operation> Cells()
    {
        var cells = new TheoryData<Caller, Operation>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            foreach (var operation in Enum.GetValues<Operation>())
            {
                cells.Add(caller, operation);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task EachCallerAndOperation_AnswersItsStatus_AndARefusalChangesNoStore(Caller caller, Operation operation)
    {
        var id = $"authz-{Guid.NewGuid():N}";
        var vector = TestVectors.Unit(new Random(id.GetHashCode(StringComparison.Ordinal)));
        var created = await api.As(api.SeedA).PutAsync(id, new { content = $"memory {id} of agent A", embedding = vector });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var before = await StoreFootprint.ReadAsync(api.Stores, id);

        var http = await CallerAsync(caller);
        var answer = await CallAsync(http, operation, id, vector);

        var expected = Expected[caller][(int)operation];
        Assert.True(expected == answer.Code, $"{caller} {operation}: expected {expected}, got {answer}");
        var refused = expected >= 400 || ItemRefused(operation, answer);
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.False(string.IsNullOrEmpty(answer.Body?["detail"]?.GetValue<string>()), $"the problem names no detail: {answer}");
        }

        if (operation == Operation.Search && expected == 200)
        {
            var found = answer.Body!.AsArray().Any(hit => hit!["memory_id"]!.GetValue<string>() == id);
            Assert.True(found == caller is not Caller.ReadOther and not Caller.WriteOther, $"{caller} search found A's memory: {found}");
        }

        if (operation == Operation.Conflicts && caller is Caller.ReadOther or Caller.WriteOther)
        {
            Assert.DoesNotContain(answer.Body!.AsArray(), conflict => conflict!["memory_id"]!.GetValue<string>() == id);
        }

        if (refused || operation is Operation.Get or Operation.History or Operation.Search or Operation.Conflicts or Operation.AdminStats)
        {
            Assert.Equal(before, await StoreFootprint.ReadAsync(api.Stores, id));
        }
        else
        {
            Assert.NotEqual(before, await StoreFootprint.ReadAsync(api.Stores, id));
        }
    }

    private static bool ItemRefused(Operation operation, ApiAnswer answer) =>
        operation == Operation.Batch && answer.Code == 200 && answer.Body!["failed"]!.GetValue<int>() > 0;

    private async Task<ApiHttp> CallerAsync(Caller caller) => caller switch
    {
        Caller.NoKey => api.As(null),
        Caller.BadKey => api.WithToken(api.WriteA.Key[..^4] + "xxxx"),
        Caller.RevokedKey => api.WithToken((await RevokedKeyAsync()).Key),
        Caller.ReadOwn => api.As(api.ReadA),
        Caller.ReadOther => api.As(await api.CreateKeyAsync(ApiScope.Read, api.AgentB)),
        Caller.WriteOwn => api.As(api.WriteA),
        Caller.WriteOther => api.As(api.WriteB),
        _ => api.As(api.Admin),
    };

    private async Task<CreatedApiKey> RevokedKeyAsync()
    {
        var key = await api.CreateKeyAsync(ApiScope.Write, api.AgentA);
        Assert.True(await api.Client.Operations.RevokeKeyAsync(key.KeyId));
        return key;
    }

    private static Task<ApiAnswer> CallAsync(ApiHttp http, Operation operation, string id, float[] vector) => operation switch
    {
        Operation.Get => http.GetAsync($"/v1/memories/{id}"),
        Operation.History => http.GetAsync($"/v1/memories/{id}/history"),
        Operation.Put => http.PutAsync(id, new { content = "overwritten", embedding = vector }),
        Operation.Delete => http.DeleteAsync($"/v1/memories/{id}"),
        Operation.Search => http.PostAsync("/v1/search", new { embedding = vector, k = 5 }),
        Operation.Batch => http.PostAsync("/v1/memories/batch", new { memories = new[] { new { memory_id = id, content = "batched", embedding = vector } } }),
        Operation.Resolve => http.PostAsync($"/v1/memories/{id}/resolve", new { keep = "current" }),
        Operation.Conflicts => http.GetAsync("/v1/conflicts"),
        _ => http.GetAsync("/v1/admin/stats"),
    };
}
