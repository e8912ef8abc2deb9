using MemorySync.Keys;
using MemorySync.Testing;

namespace MemorySync.IntegrationTests.Api;

/// <summary>The agent API's silo on a PostgreSQL server of the fixture's own, which the test stops.</summary>
public sealed class PostgresDownApiFixture : AgentApiFixture
{
    internal OwnPostgresServer Postgres { get; } = new();

    protected override string? PostgresConnectionString => Postgres.ConnectionString;

    public override async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

public sealed class PostgresDownApiTests(PostgresDownApiFixture api) : IClassFixture<PostgresDownApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WithPostgresDown_CallsAnswer503WithRetryAfter_AndWorkAgainOnceItIsBack()
    {
        var key = await api.CreateKeyAsync(ApiScope.Write, api.AgentA);
        var http = api.As(key);
        var id = $"pgdown-{Guid.NewGuid():N}";
        Assert.Equal(200, (await http.PutAsync(id, new { content = "written before the outage" })).Code);

        await api.Postgres.StopAsync();
        try
        {
            var refused = await http.PutAsync($"{id}-new", new { content = "written during the outage" });
            Assert.True(refused.Code == 503, $"expected 503, got {refused}");
            Assert.Equal("application/problem+json", refused.ContentType);
            Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("PostgreSQL", refused.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            // Once the silo's trust in the key has lapsed (Api:KeyCacheSeconds), the key itself cannot be checked: 503, not 401.
            var unverifiable = await Eventually.ReturnsAsync(() => http.GetAsync("/v1/conflicts"), answer => answer.Code != 200, Deadline,
                "a call whose key cannot be checked");
            Assert.Equal(503, unverifiable.Code);
        }
        finally
        {
            await api.Postgres.StartAsync();
        }

        var after = await Eventually.ReturnsAsync(() => http.PutAsync($"{id}-new", new { content = "written after the outage" }),
            answer => answer.Code == 200, Deadline, "a write after PostgreSQL came back");
        Assert.Equal(1, after.Body!["version"]!.GetValue<long>());
    }
}
